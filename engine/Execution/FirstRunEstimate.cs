using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// Expected seconds of the steps a run has no duration for (the first run of a warehouse, a new
/// step), from the bytes they will read: an extract step its source table, another step what its
/// upstream steps hold or will hold (their table when it exists, else their own estimate). Without
/// it every such step counts as an average one, and on a first run the chain behind the largest
/// source table may start last (issue 21: a second late at a million appointments). Sizes come from
/// <c>pg_relation_size</c>, which needs no statistics; only the ratio between steps matters.
/// </summary>
public static class FirstRunEstimate
{
    /// <summary>About four seconds per 100 MB read, as the Lacrei pipeline's steps take on the bench machine.</summary>
    private const double SecondsPerByte = 4e-8;

    private const double AtLeast = 0.01;

    /// <summary>Each step's estimate from the sizes found: its own input (an extract step's source) or table (others), in bytes.</summary>
    public static IReadOnlyDictionary<StepId, double> FromSizes(Dag dag, IReadOnlySet<StepId> extracts, IReadOnlyDictionary<StepId, long> sizes)
    {
        // What each step holds once run, in bytes: an extract step its source table, another its table when it exists, else what it reads.
        var holds = new Dictionary<StepId, double>();
        var estimates = new Dictionary<StepId, double>();
        foreach (var step in dag.Order)
        {
            var reads = extracts.Contains(step) ? sizes.GetValueOrDefault(step) : dag.UpstreamOf(step).Sum(u => holds.GetValueOrDefault(u));
            holds[step] = !extracts.Contains(step) && sizes.TryGetValue(step, out var table) ? table : reads;
            estimates[step] = Math.Max(AtLeast, reads * SecondsPerByte);
        }
        return estimates;
    }

    /// <summary>
    /// Reads the sizes (one query on the target, one on each other source database) when a selected
    /// step has no duration; none otherwise. A source that cannot be read leaves its steps average.
    /// </summary>
    public static async Task<IReadOnlyDictionary<StepId, double>> LoadAsync(NpgsqlDataSource target, Extraction.SourceConnections sources,
        Workspace workspace, IReadOnlyList<StepId> selected, IReadOnlyDictionary<string, double> expectedSeconds, CancellationToken ct)
    {
        if (selected.All(s => expectedSeconds.ContainsKey(s.ToString()))) return new Dictionary<StepId, double>();
        var sizes = new Dictionary<StepId, long>();
        var extracts = workspace.Steps.Values.Where(s => s.Extract is not null).ToDictionary(s => s.Step.Id, s => s.Extract!);
        // Seeds are DAG nodes without a rendered step: they count for nothing.
        var inTarget = workspace.Dag.Order.Where(s => workspace.Steps.ContainsKey(s) && !extracts.ContainsKey(s))
            .ToDictionary(s => s, s => workspace.Project.TableOf(workspace.Steps[s].Step));
        foreach (var group in extracts.GroupBy(e => sources.For(e.Value.Source)))
        {
            var tables = group.ToDictionary(e => e.Key, e => e.Value.SourceTable);
            if (group.Key is null) foreach (var (step, table) in inTarget) tables[step] = table;
            await ReadSizesAsync(group.Key ?? target, tables, sizes, ct);
        }
        if (extracts.Values.All(e => sources.For(e.Source) is not null)) await ReadSizesAsync(target, inTarget, sizes, ct);
        return FromSizes(workspace.Dag, extracts.Keys.ToHashSet(), sizes);
    }

    private static async Task ReadSizesAsync(NpgsqlDataSource dataSource, IReadOnlyDictionary<StepId, string> tables, Dictionary<StepId, long> sizes,
        CancellationToken ct)
    {
        var steps = tables.Keys.ToList();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(
                "SELECT t.ordinality::int, pg_relation_size(to_regclass(t.name)) FROM unnest($1::text[]) WITH ORDINALITY AS t(name, ordinality)", connection)
            {
                Parameters = { new() { Value = steps.Select(s => tables[s]).ToArray() } },
            };
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (!reader.IsDBNull(1)) sizes[steps[reader.GetInt32(0) - 1]] = reader.GetInt64(1);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // Unreachable or refused: its steps count as average ones, and the step that reads it says why.
        }
    }
}
