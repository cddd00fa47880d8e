using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// A second set of the pipeline's schemas (every schema and the BI role with "fr" appended; the
/// same source) that a <c>--full-refresh</c> fills, to compare a normal run against it table by
/// table (SPEC §6). Dropped on dispose.
/// </summary>
internal sealed class SecondSchemaSet(IsolatedPipeline p) : IAsyncDisposable
{
    private IReadOnlyList<string> Overrides => p.Overrides.Select(o => o.StartsWith("sources.", StringComparison.Ordinal) ? o : o + "fr").ToList();

    /// <summary>Full refresh into the second set, then every table of the four layers must equal the first set's.</summary>
    /// <returns>The tables compared.</returns>
    public async Task<List<string>> AssertEqualsFullRefreshAsync(string what)
    {
        await RunOkAsync(p, args: ["run", "--json", "--full-refresh"], overrides: [.. Overrides]);
        var tables = await TablesAsync(p);
        var normal = await SnapshotAsync(p, tables);
        var refreshed = (await Task.WhenAll(tables.Select(async t =>
        {
            var inSecondSet = Layers.Aggregate(t, (text, layer) => text.Replace("{" + layer + "}", p.Schema(layer)[..^1] + "fr\""));
            return (t, content: await p.ContentAsync(inSecondSet));
        }))).ToDictionary(x => x.t, x => x.content);
        AssertSameContent(normal, refreshed, what);
        return tables;
    }

    public async ValueTask DisposeAsync()
    {
        var keys = new[] { "staging1", "staging2", "model", "mart", "seeds", "meta" };
        await p.ExecuteAsync(string.Join(";", keys.Select(k => $"DROP SCHEMA IF EXISTS {p.Schema(k)[..^1]}fr\" CASCADE")));
        await p.ExecuteAsync($"DROP ROLE IF EXISTS \"{p.BiRole}fr\"");
    }
}
