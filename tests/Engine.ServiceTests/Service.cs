using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lacrei.Engine.Cli;
using Lacrei.Engine.Server;

namespace Lacrei.Engine.Tests;

/// <summary>The secrets test clients present, and the hashes the test servers are configured with.</summary>
public static class Credentials
{
    public const string Token = "scheduler-token-0123456789abcdef0123456789abcdef";
    public const string User = "maria";
    public const string Password = "uma senha longa o bastante";
    public const string OtherUser = "joao";
    public const string OtherPassword = "outra senha longa o bastante";

    // The minimum iterations keep logins quick in tests; hashed once per test run.
    public static readonly string PasswordHashText = PasswordHash.Create(Password, PasswordHash.MinimumIterations);
    public static readonly string OtherPasswordHashText = PasswordHash.Create(OtherPassword, PasswordHash.MinimumIterations);
    public static readonly string TokenHashText = TokenHash.Of(Token);

    public static Dictionary<string, string?> Environment() => new()
    {
        [ServiceConfig.TokensVariable] = $"scheduler:{TokenHashText}",
        [ServiceConfig.UsersVariable] = $"{User}:{PasswordHashText},{OtherUser}:{OtherPasswordHashText}",
    };
}

/// <summary>
/// <c>engine serve</c> for one test, through the real CLI in-process: real Kestrel on a loopback
/// port the OS picks (<c>--urls http://127.0.0.1:0</c>, read back from the log), the test's own
/// schemas, and a fixed as-of date. Stopped like Ctrl-C on dispose.
/// </summary>
public sealed partial class Service : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SafeWriter _error = new();
    private readonly SafeWriter _output = new();
    private Task<int> _exit = Task.FromResult(0);

    private Service() { }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>Everything the service wrote (its log is on stderr).</summary>
    public string Log => _output.Text + _error.Text;

    public static Task<Service> StartAsync(IsolatedPipeline pipeline, params string[] extra) => StartAsync(pipeline, null, extra);

    public static async Task<Service> StartAsync(IsolatedPipeline pipeline, IDictionary<string, string?>? env, params string[] extra)
    {
        var service = new Service();
        var variables = Credentials.Environment();
        foreach (var (name, value) in env ?? new Dictionary<string, string?>()) variables[name] = value;
        var environment = new CliEnvironment(service._output, service._error,
            name => variables.TryGetValue(name, out var value) ? value : System.Environment.GetEnvironmentVariable(name),
            System.Environment.CurrentDirectory, ErrorIsTerminal: false);
        string[] args = ["serve", "--urls", "http://127.0.0.1:0", "--project", pipeline.YamlPath, "--as-of", "2025-12-01", "--threads", "2",
            .. pipeline.Overrides.SelectMany(o => new[] { "--var", o }), .. extra];
        service._exit = Task.Run(() => new CliApp(environment).RunAsync(args, service._stop.Token));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (ListeningOn().Match(service._error.Text) is { Success: true } match)
            {
                service.BaseAddress = new Uri(match.Groups["url"].Value);
                return service;
            }
            if (service._exit.IsCompleted)
                throw new InvalidOperationException($"engine serve exited with {await service._exit}:\n{service.Log}");
            await Task.Delay(20);
        }
        throw new TimeoutException("engine serve did not start listening:\n" + service.Log);
    }

    /// <summary>The exit code and output of a serve that is expected to refuse to start.</summary>
    public static async Task<CliOutcome> FailToStartAsync(IsolatedPipeline pipeline, IDictionary<string, string?> env, params string[] extra)
    {
        var output = new SafeWriter();
        var error = new SafeWriter();
        var environment = new CliEnvironment(output, error,
            name => env.TryGetValue(name, out var value) ? value : System.Environment.GetEnvironmentVariable(name), System.Environment.CurrentDirectory, false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string[] args = ["serve", "--urls", "http://127.0.0.1:0", "--project", pipeline.YamlPath, .. extra];
        var code = await new CliApp(environment).RunAsync(args, timeout.Token);
        return new CliOutcome(code, output.Text, error.Text);
    }

    /// <summary>A client that follows no redirect and keeps no cookie; with a bearer token if given.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Authorized() => Client(Credentials.Token);

    /// <summary>Polls <c>GET /api/etl/runs/{id}</c> until the run is no longer running; returns its final result.</summary>
    public async Task<JsonElement> WaitForRunAsync(string runId, Action<JsonElement>? onPoll = null)
    {
        using var client = Authorized();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync($"/api/etl/runs/{runId}");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            onPoll?.Invoke(result);
            if (result.GetProperty("status").GetString() != "running") return result;
            await Task.Delay(100);
        }
        throw new TimeoutException($"run {runId} did not finish:\n{Log}");
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        var exit = await _exit.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit is 0 or 130, $"engine serve exited with {exit}:\n{Log}");
        _stop.Dispose();
    }

    // As text, or as a JSON event (--log-format json).
    [GeneratedRegex(@"Serving the API and the portal on (\{Url\}"",""Url"":"")?(?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    /// <summary>A writer the service writes to from several threads while a test reads it.</summary>
    private sealed class SafeWriter : TextWriter
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _gate = new();

        public override Encoding Encoding => Encoding.UTF8;
        public string Text { get { lock (_gate) return _text.ToString(); } }
        public override void Write(char value) { lock (_gate) _text.Append(value); }
        public override void Write(string? value) { lock (_gate) _text.Append(value); }
        public override void WriteLine(string? value) { lock (_gate) _text.AppendLine(value); }
    }
}

/// <summary>Makes the shop's last mart step sleep, so a run stays in progress long enough to watch or collide with.</summary>
public static class SlowStep
{
    public static void Add(IsolatedPipeline pipeline, double seconds = 1.5) =>
        pipeline.EditFile("mart/revenue_by_region.sql", sql =>
            sql + $"\nSELECT pg_sleep({seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}), '{pipeline.Suffix}';\n");
}
