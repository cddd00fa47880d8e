using Microsoft.AspNetCore.Builder;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Lacrei.Engine.Server;

/// <summary>
/// <c>engine serve</c> (SPEC §12): Kestrel, the API and the portal. The only place in the
/// engine with a DI container; everything else is wired by hand. Built from an empty builder,
/// so no appsettings.json or stray environment variable changes what it does.
/// </summary>
internal static class ServiceHost
{
    public static async Task RunAsync(ServiceSetup setup, CancellationToken ct)
    {
        await using var app = Build(setup);
        await app.StartAsync(ct);
        foreach (var url in app.Urls) setup.Log.Information("Serving the API and the portal on {Url}", url);
        await app.WaitForShutdownAsync(ct);
    }

    public static WebApplication Build(ServiceSetup setup)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "lacrei-pipeline" });
        builder.WebHost.UseKestrel(options =>
        {
            options.AddServerHeader = false;
            // Nothing here takes more than a login form.
            options.Limits.MaxRequestBodySize = 64 * 1024;
        });
        builder.WebHost.UseUrls([.. setup.Urls]);
        builder.Logging.AddProvider(new SerilogBridge(setup.Log));

        var services = builder.Services;
        services.AddRoutingCore();
        services.AddSingleton(setup);
        services.AddSingleton(setup.Config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PasswordCheck>();
        services.AddSingleton(provider => new Sessions(setup.Config, provider.GetRequiredService<TimeProvider>(), setup.Log));
        services.AddSingleton<PortalAssets>();
        services.AddSingleton<RunManager>();
        services.AddSingleton(_ => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(setup.Connection.ConnectionString)
        {
            // Reads for the API and /health: fail fast rather than hold a request.
            Timeout = 5,
            CommandTimeout = 15,
            ApplicationName = "lacrei-pipeline serve",
        }.ConnectionString));
        services.AddSingleton(provider => new RunHistory(provider.GetRequiredService<NpgsqlDataSource>(), setup.Project));
        var protection = services.AddDataProtection().SetApplicationName("lacrei-pipeline");
        if (setup.Config.DataProtectionKeys is { } keys) protection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        else
            // Without a key folder, keys live in memory only: a restart signs everyone out, and no key
            // is written anywhere (ASP.NET's default would leave one in ~/.aspnet unencrypted).
            services.Configure<KeyManagementOptions>(options =>
            {
                options.XmlRepository = new MemoryKeyRepository();
                options.XmlEncryptor = new NullXmlEncryptor();
            });
        services.AddPortalAuth(setup.Config);

        var app = builder.Build();
        if (setup.Config.TrustProxy)
        {
            // Only the configured proxies are believed (issue 20): ASP.NET's default also trusts any
            // loopback sender, so anything on the machine could claim any address to the throttle.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in setup.Config.KnownProxies) forwarded.KnownIPNetworks.Add(network);
            app.UseForwardedHeaders(forwarded);
        }
        app.UseRequestLogging(setup.Log);
        app.UseSecurityHeaders();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapApi();
        app.MapPortal();
        return app;
    }

    /// <summary>Data protection keys (cookies, anti-forgery tokens) that never leave the process.</summary>
    private sealed class MemoryKeyRepository : IXmlRepository
    {
        private readonly Lock _gate = new();
        private readonly List<XElement> _keys = [];

        public IReadOnlyCollection<XElement> GetAllElements() { lock (_gate) return [.. _keys.Select(k => new XElement(k))]; }

        public void StoreElement(XElement element, string friendlyName) { lock (_gate) _keys.Add(new XElement(element)); }
    }

    /// <summary>ASP.NET Core's own warnings and errors (Kestrel, auth) into the engine's Serilog log.</summary>
    private sealed class SerilogBridge(Serilog.ILogger log) : ILoggerProvider
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(log.ForContext("Category", categoryName));

        public void Dispose() { }

        private sealed class Logger(Serilog.ILogger log) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            // Information and below is chatter about the host's life; requests are logged by UseRequestLogging.
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                var level = logLevel >= LogLevel.Error ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Warning;
                log.Write(level, exception, "{Message}", formatter(state, exception));
            }
        }
    }
}
