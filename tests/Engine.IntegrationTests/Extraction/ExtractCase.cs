using System.Text.Json;

namespace Lacrei.Engine.Tests;

/// <summary>
/// The extraction fixture with its source in a second database, and a second schema set (every
/// schema of the fixture with "fr" appended, the same source) that a <c>--full-refresh</c> fills:
/// SPEC §6/§9.2 say a normal run gives what a full refresh gives, and
/// <see cref="AssertEqualsFullRefreshAsync"/> holds every table of staging and the model to it.
/// </summary>
internal sealed class ExtractCase : IAsyncDisposable
{
    /// <summary>Every table the fixture fills, staging (extracted) and model (built on it).</summary>
    public static readonly string[] Tables =
        ["staging.users", "staging.orders", "staging.user_tags", "model.city_users", "model.user_orders", "model.order_facts", "model.city_totals", "model.city_order_sums"];

    private readonly ExtractSource? _source;
    private string? _readServer;

    private ExtractCase(IsolatedPipeline pipeline, ExtractSource? source) => (Pipeline, _source) = (pipeline, source);

    public IsolatedPipeline Pipeline { get; }

    /// <summary>The source's connection: its own database, or the target's (the same-database fallback).</summary>
    public string SourceUrl => _source?.Url ?? IsolatedPipeline.ConnectionString;

    public Dictionary<string, string?> Env => new()
    {
        ["EXTRACT_SOURCE_URL"] = _readServer is null || _source is null
            ? _source?.Url
            : new Npgsql.NpgsqlConnectionStringBuilder(_readServer) { Database = _source.Database }.ConnectionString,
    };

    /// <summary>Runs read the source from this server from now on (a hot standby of the source's), while changes go to the source's.</summary>
    public void ReadFrom(string server) => _readServer = server;

    /// <summary>The source's database (its own, or the target's).</summary>
    public string SourceDatabase => _source?.Database ?? new Npgsql.NpgsqlConnectionStringBuilder(IsolatedPipeline.ConnectionString).Database!;

    /// <param name="sameDatabase">The source schema in the target database (EXTRACT_SOURCE_URL unset) instead of a second database.</param>
    /// <param name="server">The server of the source's database (default: the test server).</param>
    public static async Task<ExtractCase> CreateAsync(bool sameDatabase = false, string? server = null)
    {
        var pipeline = new IsolatedPipeline(Repo.Path("tests", "fixtures", "extract"));
        var schema = pipeline.Schema("source:app").Trim('"');
        if (!sameDatabase) return new ExtractCase(pipeline, await ExtractSource.CreateAsync(pipeline.Suffix, schema, server));
        await pipeline.ExecuteAsync(ExtractSource.Ddl(schema));
        return new ExtractCase(pipeline, null);
    }

    /// <summary>SQL against the source; <c>{s}</c> is the quoted source schema.</summary>
    public Task SourceAsync(string sql) =>
        _source is not null ? _source.ExecuteAsync(sql) : Pipeline.ExecuteAsync(sql.Replace("{s}", Pipeline.Schema("source:app")));

    /// <summary>A connection to the source on which a test holds a transaction open across a run (a late commit).</summary>
    public async Task<Npgsql.NpgsqlConnection> OpenSourceAsync()
    {
        var connection = new Npgsql.NpgsqlConnection(SourceUrl);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>SQL on an open source connection; <c>{s}</c> is the quoted source schema.</summary>
    public async Task SourceAsync(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql.Replace("{s}", Pipeline.Schema("source:app")), connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A normal run of the whole fixture (or <paramref name="args"/>), which must succeed; its JSON result.</summary>
    public async Task<JsonElement> RunOkAsync(params string[] args)
    {
        var run = await Pipeline.Engine(Env, ["run", "--json", .. args]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out[run.Out.IndexOf('{')..]);
        return json.RootElement.Clone();
    }

    /// <summary>The rows a step reported in a run's JSON result.</summary>
    public static long Rows(JsonElement run, string step) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == step).GetProperty("rows").GetInt64();

    /// <summary>A step's warning in a run's JSON result, or null.</summary>
    public static string? Warning(JsonElement run, string step) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == step)
            .TryGetProperty("warning", out var warning) ? warning.GetString() : null;

    /// <summary>The schema of a fixture layer in the second set, quoted.</summary>
    public string SecondSet(string key) => $"{Pipeline.Schema(key)[..^1]}fr\"";

    /// <summary>A full refresh into the second schema set; then every table must equal the first set's, row for row.</summary>
    /// <param name="except">Tables left out of the comparison (the test says why).</param>
    public async Task AssertEqualsFullRefreshAsync(string what, params string[] except)
    {
        var overrides = Pipeline.Overrides.Select(o => o.StartsWith("sources.", StringComparison.Ordinal) ? o : o + "fr");
        var refresh = await EngineCli.RunAsync(
            ["run", "--full-refresh", "--project", Pipeline.YamlPath, "--as-of", "2025-12-01", .. overrides.SelectMany(o => new[] { "--var", o })], Env);
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        var differences = new List<string>();
        foreach (var table in Tables.Except(except))
        {
            var (schema, name) = (table.Split('.')[0], table.Split('.')[1]);
            var normal = await Pipeline.ContentAsync($"{{{schema}}}.{name}");
            var refreshed = await Pipeline.ContentAsync($"{SecondSet(schema)}.{name}");
            if (normal == refreshed) continue;
            var (n, r) = (normal.Split('\n'), refreshed.Split('\n'));
            differences.Add($"{table}: only after the normal run [{string.Join("; ", n.Except(r))}], only after the full refresh [{string.Join("; ", r.Except(n))}]");
        }
        Assert.True(differences.Count == 0, $"{what}: the normal run differs from a full refresh\n" + string.Join("\n", differences));
    }

    /// <summary>The step's stored watermark (text), in the first set or the second.</summary>
    /// <summary>Whether the step's stored watermark is at most the source's clock (true when there is none).</summary>
    public Task<bool> WatermarkWithinClockAsync(string step, bool secondSet = false) =>
        Pipeline.ScalarAsync<bool>($"SELECT coalesce(bool_and(value::timestamptz <= now()), true) FROM {(secondSet ? SecondSet("meta") : "{meta}")}.watermarks WHERE step = '{step}'");

    public async ValueTask DisposeAsync()
    {
        await Pipeline.ExecuteAsync(string.Join(";", new[] { "staging", "model", "meta" }.Select(k => $"DROP SCHEMA IF EXISTS {SecondSet(k)} CASCADE")));
        if (_source is not null) await _source.DisposeAsync();
        await Pipeline.DisposeAsync();
    }
}
