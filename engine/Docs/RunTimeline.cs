using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;
using Npgsql;

namespace Lacrei.Engine.Docs;

/// <summary>One step of a recorded run, placed on the timeline.</summary>
public sealed record TimelineStep(string Step, StepStatus Status, long Rows, double Seconds, DateTime? StartedAt, DateTime? FinishedAt,
    string? Error, string? ErrorLocation)
{
    /// <summary>The row of the parallelism chart: steps in one lane never overlap in time.</summary>
    public int Lane { get; init; } = -1;
    public bool Critical { get; init; }
    public bool Ran => StartedAt is not null && FinishedAt is not null;
}

/// <summary>
/// A run as the run log recorded it (SPEC §6), with what the timeline needs computed: lanes of
/// concurrent steps and the critical path, the longest chain of dependent steps by duration —
/// the steps that made the run as long as it was.
/// </summary>
public sealed record RunTimeline(string RunId, RunStatus Status, string Trigger, string Selection, int Threads, DateTime StartedAt,
    DateTime? FinishedAt, string? Error, IReadOnlyList<TimelineStep> Steps, IReadOnlyList<string> CriticalPath)
{
    public DateTime End => new[] { FinishedAt ?? StartedAt }.Concat(Steps.Where(s => s.Ran).Select(s => s.FinishedAt!.Value)).Max();
    public double WallSeconds => (End - StartedAt).TotalSeconds;
    public int Lanes => Steps.Count == 0 ? 0 : Steps.Max(s => s.Lane) + 1;

    /// <param name="runId">A run's id, or <c>last</c> for the run that started last.</param>
    public static async Task<RunTimeline> ReadAsync(NpgsqlConnection connection, Identifier meta, string runId, Dag? dag, CancellationToken ct)
    {
        var log = new RunLogReader(meta);
        if (!await log.ExistsAsync(connection, ct))
            throw new PipelineException(ErrorKind.Usage, null, $"no run log in schema {meta.Quoted}: nothing has run against this database yet",
                "run the pipeline first (engine run), or check --target and DATABASE_URL");
        var run = (runId == "last" ? await log.LatestAsync(connection, ended: false, ct) : await log.RunAsync(connection, runId, ct))
            ?? throw new PipelineException(ErrorKind.Usage, null, $"no run '{runId}' in the run log", "engine runs lists the recent runs and their ids; 'last' is the latest");
        var steps = (await log.StepsAsync(connection, run.RunId, ct))
            .Select(s => new TimelineStep(s.Step, s.Status, s.Rows, s.Seconds, s.StartedAt, s.FinishedAt, s.Error, s.ErrorLocation)).ToList();
        return Arrange(new RunTimeline(run.RunId, run.Status, run.Trigger, run.Selection, run.Threads, run.StartedAt, run.FinishedAt, run.Error, [], []), steps, dag);
    }

    /// <summary>Assigns lanes and marks the critical path. Pure, so it is tested without a database.</summary>
    public static RunTimeline Arrange(RunTimeline run, IReadOnlyList<TimelineStep> steps, Dag? dag)
    {
        var critical = CriticalPathOf(steps, dag);
        var onPath = critical.ToHashSet();
        var laneEnds = new List<DateTime>();
        var arranged = new List<TimelineStep>();
        // Greedy interval partitioning in start order uses as few lanes as the peak concurrency.
        foreach (var step in steps.OrderBy(s => s.StartedAt ?? DateTime.MaxValue).ThenBy(s => s.Step, StringComparer.Ordinal))
        {
            var lane = -1;
            if (step.Ran)
            {
                lane = laneEnds.FindIndex(end => end <= step.StartedAt!.Value);
                if (lane < 0) { lane = laneEnds.Count; laneEnds.Add(default); }
                laneEnds[lane] = step.FinishedAt!.Value;
            }
            arranged.Add(step with { Lane = lane, Critical = onPath.Contains(step.Step) });
        }
        return run with { Steps = arranged, CriticalPath = critical };
    }

    /// <summary>
    /// The longest chain through the DAG by duration, over the steps that ran: each step's
    /// longest chain is its own time plus the longest chain among its upstream steps.
    /// </summary>
    private static List<string> CriticalPathOf(IReadOnlyList<TimelineStep> steps, Dag? dag)
    {
        var ran = steps.Where(s => s.Ran).ToDictionary(s => s.Step);
        if (ran.Count == 0) return [];
        var ids = ran.Keys.ToDictionary(k => k, k => StepId.TryParse(k, out var id) && dag?.Contains(id) == true ? id : (StepId?)null);
        // Dependencies first: the DAG's order, then steps it no longer knows (the pipeline changed since the run).
        var order = (dag?.Order.Select(id => id.ToString()).Where(ran.ContainsKey) ?? []).Concat(ran.Keys.Where(k => ids[k] is null)).ToList();
        var longest = new Dictionary<string, double>();
        var previous = new Dictionary<string, string?>();
        foreach (var step in order)
        {
            string? best = null;
            if (ids[step] is { } id)
                foreach (var upstream in dag!.UpstreamOf(id).Select(u => u.ToString()).Where(longest.ContainsKey))
                    if (best is null || longest[upstream] > longest[best]) best = upstream;
            longest[step] = ran[step].Seconds + (best is null ? 0 : longest[best]);
            previous[step] = best;
        }
        var path = new List<string>();
        // On a tie the later step wins, so a chain is not cut short before a step that took 0 ms.
        var end = longest.Aggregate((a, b) => b.Value >= a.Value ? b : a).Key;
        for (var step = end; step is not null; step = previous[step]) path.Add(step);
        path.Reverse();
        return path;
    }
}
