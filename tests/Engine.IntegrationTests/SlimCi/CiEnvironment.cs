using Lacrei.Engine.Config;

namespace Lacrei.Engine.Tests.SlimCi;

/// <summary>
/// A "ci" target beside an isolated pipeline's production schemas: every schema, the source's
/// too, with <c>_ci</c> added to the test's own suffix (the fixture's ci target, made unique).
/// </summary>
/// <param name="shareSource">CI reads production's source (a real CI job does); else a copy of its own (the shop's migration creates it).</param>
internal sealed class CiEnvironment(IsolatedPipeline production, bool shareSource = false) : IAsyncDisposable
{
    private readonly PipelineConfig _config = PipelineLoader.Load(production.YamlPath);

    public IReadOnlyList<string> Overrides =>
    [
        .. _config.Schemas.Select(s => $"schemas.{s.Key}={s.Value}{production.Suffix}_ci"),
        .. _config.Sources.Values.Select(s => $"sources.{s.Name}.schema={s.Schema}{production.Suffix}" + (shareSource ? "" : "_ci")),
        // The test's other vars (its own BI role) as production has them.
        .. production.Overrides.Where(o => !o.StartsWith("schemas.", StringComparison.Ordinal) && !o.StartsWith("sources.", StringComparison.Ordinal)),
    ];

    /// <summary>The quoted CI schema of a key ("staging").</summary>
    public string Schema(string key) => $"\"{_config.Schemas[key]}{production.Suffix}_ci\"";

    public Task<CliOutcome> Engine(params string[] args) => Engine(new Dictionary<string, string?>(), args);

    /// <summary>The same, with extra environment variables (e.g. another pseudonym key).</summary>
    public Task<CliOutcome> Engine(IDictionary<string, string?> env, params string[] args) => EngineCli.RunAsync(
        [.. args, "--target", "ci", "--project", production.YamlPath, "--as-of", "2025-12-01", .. Overrides.SelectMany(o => new[] { "--var", o })], env);

    /// <summary>The tables in a CI schema, sorted.</summary>
    public async Task<string> TablesAsync(string key) => await production.ScalarAsync<string>(
        $"SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class WHERE relnamespace = to_regnamespace('{Schema(key).Replace("'", "''")}') AND relkind IN ('r', 'v')");

    public async ValueTask DisposeAsync()
    {
        var schemas = _config.Schemas.Keys.Select(Schema)
            .Concat(shareSource ? [] : _config.Sources.Values.Select(s => $"\"{s.Schema}{production.Suffix}_ci\""));
        await production.ExecuteAsync(string.Join(";", schemas.Distinct().Select(s => $"DROP SCHEMA IF EXISTS {s} CASCADE")));
    }
}
