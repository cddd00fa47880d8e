using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Tests;

/// <summary>
/// A pipeline folder (a private copy of a fixture) whose every schema, the source's included,
/// carries a suffix unique to the test, so tests run in parallel on one database and never see
/// each other. Dropped on dispose.
/// </summary>
public sealed class IsolatedPipeline : IAsyncDisposable
{
    private readonly PipelineConfig _config;

    public IsolatedPipeline(string fixture) : this(Repo.CopyFixture(fixture), copied: true) { }

    /// <summary>The Lacrei pipeline (pipeline.yaml and pipelines/lacrei) in a private folder.</summary>
    public static IsolatedPipeline Lacrei()
    {
        var dir = Repo.CopyFixture(Repo.Path("pipelines", "lacrei"), Path.Combine("pipelines", "lacrei"));
        File.Copy(Repo.Path("pipeline.yaml"), Path.Combine(dir, "pipeline.yaml"));
        return new IsolatedPipeline(dir, copied: true);
    }

    private IsolatedPipeline(string dir, bool copied)
    {
        _ = copied; // the folder is this test's own copy, deleted on dispose
        Dir = dir;
        Suffix = "_t" + Guid.NewGuid().ToString("N")[..8];
        _config = PipelineLoader.Load(YamlPath);
        Overrides = [
            .. _config.Schemas.Keys.Select(key => $"schemas.{key}={_config.Schemas[key]}{Suffix}"),
            .. _config.Sources.Values.Select(source => $"sources.{source.Name}.schema={source.Schema}{Suffix}"),
            // Roles are cluster-wide: each test gets its own so parallel tests do not race to create one.
            .. _config.Vars.ContainsKey("bi_role") ? [$"bi_role={BiRole}"] : Array.Empty<string>(),
        ];
    }

    public string Dir { get; }

    /// <summary>This test's read-only BI role (when the pipeline declares vars.bi_role).</summary>
    public string BiRole => _config.Vars.TryGetValue("bi_role", out var role) ? role + Suffix : "";
    public string Suffix { get; }
    public string YamlPath => Path.Combine(Dir, "pipeline.yaml");
    public IReadOnlyList<string> Overrides { get; }

    public static string ConnectionString =>
        Database.ConnectionSettings.Resolve(null).ConnectionString is { } s && Environment.GetEnvironmentVariable("DATABASE_URL") is not null
            ? s
            : throw new InvalidOperationException("integration tests need DATABASE_URL (run them through scripts/with-postgres)");

    /// <summary>The quoted name of a schema key ("mart") or source ("source:shop") for this test.</summary>
    public string Schema(string key) => key.StartsWith("source:", StringComparison.Ordinal)
        ? $"\"{_config.Sources[key[7..]].Schema}{Suffix}\""
        : $"\"{_config.Schemas[key]}{Suffix}\"";

    /// <summary>Runs <c>engine</c> with this pipeline's project, schema overrides and a fixed as-of date.</summary>
    public Task<CliOutcome> Engine(params string[] args) => EngineCli.RunAsync(
        [.. args, "--project", YamlPath, "--as-of", "2025-12-01", .. Overrides.SelectMany(o => new[] { "--var", o })]);

    /// <summary>The same, with extra environment variables (e.g. a source's connection).</summary>
    public Task<CliOutcome> Engine(IDictionary<string, string?> env, params string[] args) => EngineCli.RunAsync(
        [.. args, "--project", YamlPath, "--as-of", "2025-12-01", .. Overrides.SelectMany(o => new[] { "--var", o })], env);

    /// <summary>SQL with <c>{mart}</c>, <c>{source:shop}</c>… replaced by this test's schema names.</summary>
    public string Sql(string sql)
    {
        foreach (var key in _config.Schemas.Keys) sql = sql.Replace("{" + key + "}", Schema(key));
        foreach (var source in _config.Sources.Keys) sql = sql.Replace("{source:" + source + "}", Schema("source:" + source));
        return sql;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql(sql), connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql(sql), connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A whole table's content as text, in key order, to compare two states exactly.</summary>
    public Task<string> ContentAsync(string table) =>
        ScalarAsync<string>($"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM {Sql(table)} AS t");

    /// <summary>Adds a script step with this SQL as the first step of a layer of pipeline.yaml.</summary>
    public void AddScriptStep(string layer, string name, string sql)
    {
        File.WriteAllText(Path.Combine(Dir, layer, name + ".sql"), sql);
        var marker = $"  - name: {layer}\n    steps:\n";
        var yaml = File.ReadAllText(YamlPath);
        if (!yaml.Contains(marker, StringComparison.Ordinal)) throw new InvalidOperationException($"layer {layer} not found in {YamlPath}");
        File.WriteAllText(YamlPath, yaml.Replace(marker, marker + $"      - name: {name}\n        sql: {layer}/{name}.sql\n"));
    }

    public void EditFile(string relative, Func<string, string> edit)
    {
        var path = Path.Combine(Dir, relative);
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    }

    public async ValueTask DisposeAsync()
    {
        var schemas = _config.Schemas.Keys.Select(Schema).Concat(_config.Sources.Keys.Select(s => Schema("source:" + s)));
        await ExecuteAsync(string.Join(";", schemas.Distinct().Select(s => $"DROP SCHEMA IF EXISTS {s} CASCADE")));
        if (BiRole.Length > 0) await ExecuteAsync($"DROP ROLE IF EXISTS \"{BiRole}\"");
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
