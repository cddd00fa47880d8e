using System.CommandLine;
using System.Net;
using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Server;
using Microsoft.AspNetCore.Http;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine serve</c> (SPEC §12): the HTTP API that schedulers call and the portal with
/// "Atualizar dados". Runs use the same options as <c>engine run</c> (<c>--target</c>,
/// <c>--var</c>, <c>--as-of</c>, <c>--threads</c>), fixed for the server's life.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliApp app)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, ';'-separated; loopback by default (put a TLS proxy in front to serve others)",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
        };
        var config = new Option<string?>("--config") { Description = "JSON file with token hashes, portal users and settings; keep it outside the repository" };
        var threads = new Option<int>("--threads") { Description = "Independent steps run in parallel on this many connections", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("serve", "Serve the HTTP API and the portal that start runs and follow them") { urls, config, threads };

        app.SetAction(command, async (context, ct) =>
        {
            var p = context.Parse;
            if (p.GetValue(threads) < 1) throw new PipelineException(ErrorKind.Usage, null, "--threads must be at least 1");
            var listen = ParseUrls(p.GetValue(urls)!);
            // The pipeline is checked now, so a broken one stops the server from starting (exit 2).
            var project = context.LoadProject();
            _ = context.BuildWorkspace(project);
            var service = ServiceConfig.Load(p.GetValue(config), context.Environment.Variable, project.Config.RootDir);
            var connection = ConnectionSettings.Resolve(
                p.GetValue(GlobalOptions.Connection) ?? context.Environment.Variable("DATABASE_URL") ?? service.DatabaseUrl, context.Environment.Variable);

            foreach (var url in listen.Where(u => !IsLoopback(u) && u.Scheme == "http"))
                context.Log.Warning("Serving plain HTTP on {Url}, beyond this machine: put a TLS proxy in front (and set trust_proxy and known_proxies)", url.ToString());
            if (p.GetValue(config) is { } path && !OperatingSystem.IsWindows() && File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherRead))
                context.Log.Warning("{Config} holds secrets and any user of this machine can read it: chmod 600 it", path);
            context.Log.Information("Service for {Pipeline} on {Database}: {Tokens} API tokens, {Users} portal users",
                project.Config.Name, connection.Display, service.TokenHashes.Count, service.Users.Count);

            var defaults = new RunRequest(Target: p.GetValue(GlobalOptions.Target), Vars: CommandContext.Vars(p),
                AsOf: p.GetValue(GlobalOptions.AsOf), Threads: p.GetValue(threads), Trigger: "http");
            var setup = new ServiceSetup(project, () => context.LoadProject(), (current, runId) => context.BuildWorkspace(current, runId: runId),
                defaults, connection, context.Environment.Variable, context.Log, service, [.. listen.Select(u => u.ToString())]);
            try
            {
                await ServiceHost.RunAsync(setup, ct);
            }
            catch (IOException e) when (e.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
            {
                throw new PipelineException(ErrorKind.Usage, null, $"cannot listen: {e.Message}", "pick another --urls, or stop what uses the port");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<BindingAddress> ParseUrls(string text)
    {
        var addresses = new List<BindingAddress>();
        foreach (var url in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try { addresses.Add(BindingAddress.Parse(url)); }
            catch (FormatException) { throw BadUrl(url); }
            if (addresses[^1].Scheme is not ("http" or "https")) throw BadUrl(url);
        }
        return addresses.Count > 0 ? addresses : throw BadUrl(text);
    }

    private static PipelineException BadUrl(string url) =>
        new(ErrorKind.Usage, null, $"--urls '{url}' is not an http:// or https:// address", "for example --urls http://127.0.0.1:8080");

    private static bool IsLoopback(BindingAddress address) =>
        address.Host == "localhost" || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
