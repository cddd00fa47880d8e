using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// Which ready step to start first: the one with the longest chain of work still behind it
/// (its own expected duration plus its longest path of descendants in the run), so the critical
/// path starts at once and short steps fill the other connections. A step's expected duration is
/// its mean in recent runs of the same kind, unchanged counting as none
/// (<see cref="RunLogReader.ExpectedDurationsAsync"/>); a step never run counts as what the data
/// it reads suggests (<see cref="FirstRunEstimate"/>), else as an average one.
/// </summary>
public sealed class StepPriority
{
    private readonly Dictionary<StepId, double> _remaining;
    private readonly Dictionary<StepId, int> _position;

    private StepPriority(Dag dag, IReadOnlyList<StepId> selected, IReadOnlyDictionary<string, double> expectedSeconds,
        IReadOnlyDictionary<StepId, double> estimates)
    {
        var inRun = selected.ToHashSet();
        var known = selected.Select(s => expectedSeconds.GetValueOrDefault(s.ToString(), double.NaN)).Where(d => !double.IsNaN(d)).ToList();
        var typical = known.Count > 0 ? known.Average() : 1.0;
        _position = dag.Order.Select((step, i) => (step, i)).ToDictionary(p => p.step, p => p.i);
        _remaining = [];
        foreach (var step in dag.Order.Where(inRun.Contains).Reverse())
            _remaining[step] = expectedSeconds.GetValueOrDefault(step.ToString(), estimates.GetValueOrDefault(step, typical))
                + dag.DownstreamOf(step).Where(inRun.Contains).Select(d => _remaining[d]).DefaultIfEmpty(0).Max();
    }

    /// <summary>Lower sorts first: the longest remaining chain, then the DAG's stable order.</summary>
    public (double, int) Of(StepId step) => (-_remaining[step], _position[step]);

    /// <summary>From each step's expected duration in seconds, by step name; absent ones count as their estimate, else as average.</summary>
    public static StepPriority FromDurations(Dag dag, IReadOnlyList<StepId> selected, IReadOnlyDictionary<string, double> expectedSeconds,
        IReadOnlyDictionary<StepId, double>? estimates = null) =>
        new(dag, selected, expectedSeconds, estimates ?? new Dictionary<StepId, double>());

    public static async Task<StepPriority> LoadAsync(NpgsqlDataSource dataSource, Extraction.SourceConnections sources, Workspace workspace,
        IReadOnlyList<StepId> selected, CancellationToken ct)
    {
        IReadOnlyDictionary<string, double> expectedSeconds;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
            expectedSeconds = await new RunLogReader(workspace.Project.MetaSchema).ExpectedDurationsAsync(connection, RunRequest.FullRefreshOption,
                workspace.Run.FullRefresh, ct);
        return FromDurations(workspace.Dag, selected, expectedSeconds,
            await FirstRunEstimate.LoadAsync(dataSource, sources, workspace, selected, expectedSeconds, ct));
    }
}
