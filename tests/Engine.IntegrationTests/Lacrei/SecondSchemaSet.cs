using Lacrei.Engine.Config;
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
        var snapshots = PipelineLoader.Load(p.YamlPath).Steps.Where(s => s.Materialize == Materialization.Snapshot)
            .Select(s => $"{{{s.SchemaKey}}}.\"{s.Table}\"").ToHashSet();
        var normal = (await Task.WhenAll(tables.Select(async t => (t, content: await ContentAsync(t, snapshots.Contains(t))))))
            .ToDictionary(x => x.t, x => x.content);
        var refreshed = (await Task.WhenAll(tables.Select(async t =>
        {
            var inSecondSet = Layers.Aggregate(t, (text, layer) => text.Replace("{" + layer + "}", p.Schema(layer)[..^1] + "fr\""));
            return (t, content: await ContentAsync(inSecondSet, snapshots.Contains(t)));
        }))).ToDictionary(x => x.t, x => x.content);
        AssertSameContent(normal, refreshed, what);
        return tables;
    }

    /// <summary>
    /// A table's content; of a snapshot's, the current versions without valid_from and valid_to: its
    /// history is what the runs saw, which a full refresh into new schemas cannot see again, but its
    /// current versions are what the SELECT returns now.
    /// </summary>
    private Task<string> ContentAsync(string table, bool snapshot) => snapshot
        ? p.ScalarAsync<string>($"SELECT coalesce(string_agg((to_jsonb(t) - 'valid_from' - 'valid_to')::text, E'\\n' ORDER BY (to_jsonb(t) - 'valid_from' - 'valid_to')::text), '') " +
                                $"FROM {p.Sql(table)} AS t WHERE t.valid_to IS NULL")
        : p.ContentAsync(table);

    public async ValueTask DisposeAsync()
    {
        var keys = new[] { "staging1", "staging2", "model", "mart", "seeds", "meta" };
        await p.ExecuteAsync(string.Join(";", keys.Select(k => $"DROP SCHEMA IF EXISTS {p.Schema(k)[..^1]}fr\" CASCADE")));
        await p.ExecuteAsync($"DROP ROLE IF EXISTS \"{p.BiRole}fr\"");
    }
}
