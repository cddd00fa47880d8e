using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Execution;

/// <summary>
/// The ready-set walk: a step starts once every selected ancestor it reads through has succeeded, up to
/// <c>threads</c> at once, each on its own connection. When a step fails, its descendants are
/// recorded as skipped with the cause; everything else goes on. Among ready steps, the one with
/// the longest chain of expected work behind it starts first (<see cref="StepPriority"/>).
/// </summary>
internal sealed class ParallelSchedule(Workspace workspace, IStepExecutor executor, IRunProgress progress, ChangeDetector? detector,
    StepPriority priority)
{
    public async Task<IReadOnlyList<StepResult>> RunAsync(IReadOnlyList<StepId> selected, int threads, CancellationToken ct)
    {
        var inRun = selected.ToHashSet();
        var after = selected.ToDictionary(s => s, s => NearestInRun(s, inRun));
        var waitingOn = after.ToDictionary(pair => pair.Key, pair => pair.Value.Count);
        var unblocks = selected.ToDictionary(s => s, s => selected.Where(next => after[next].Contains(s)).ToList());
        var results = new Dictionary<StepId, StepResult>();
        var running = new Dictionary<Task<StepResult>, StepId>();
        var ready = new PriorityQueue<StepId, (double, int)>();
        foreach (var step in selected.Where(s => waitingOn[s] == 0)) ready.Enqueue(step, priority.Of(step));

        while (ready.Count > 0 || running.Count > 0)
        {
            while (ready.Count > 0 && running.Count < threads && !ct.IsCancellationRequested)
            {
                var step = ready.Dequeue();
                progress.StepStarted(step);
                running[executor.RunAsync(workspace.Steps[step], detector, ct)] = step;
            }
            if (running.Count == 0) break;
            var done = await Task.WhenAny(running.Keys);
            running.Remove(done);
            var result = await done;
            results[result.Step] = result;
            progress.StepFinished(result);
            if (result.Succeeded)
            {
                foreach (var next in unblocks[result.Step])
                    if (--waitingOn[next] == 0) ready.Enqueue(next, priority.Of(next));
                continue;
            }
            await executor.RecordAsync(result);
            foreach (var skipped in SkipDescendants(result.Step, inRun, results))
            {
                progress.StepFinished(skipped);
                await executor.RecordAsync(skipped);
            }
        }
        // Steps never started because the run was cancelled.
        foreach (var step in selected.Where(s => !results.ContainsKey(s)))
            results[step] = new StepResult(step, StepStatus.Skipped, 0, 0, new StepFailure(FailureKind.NotStarted, "not started: the run was cancelled"));
        return selected.Select(s => results[s]).ToList();
    }

    /// <summary>
    /// The selected steps a step waits for: its nearest selected ancestors, looking through steps
    /// left out of the run (with <c>--exclude</c>, A → B → C with B excluded still reads what A
    /// writes in this run, so C starts after A).
    /// </summary>
    private HashSet<StepId> NearestInRun(StepId step, HashSet<StepId> inRun)
    {
        var nearest = new HashSet<StepId>();
        var seen = new HashSet<StepId>();
        var pending = new Stack<StepId>(workspace.Dag.UpstreamOf(step));
        while (pending.TryPop(out var upstream))
        {
            if (!seen.Add(upstream)) continue;
            if (inRun.Contains(upstream)) nearest.Add(upstream);
            else foreach (var further in workspace.Dag.UpstreamOf(upstream)) pending.Push(further);
        }
        return nearest;
    }

    private IEnumerable<StepResult> SkipDescendants(StepId failed, HashSet<StepId> inRun, Dictionary<StepId, StepResult> results)
    {
        foreach (var step in workspace.Dag.Order.Where(s => inRun.Contains(s) && workspace.Dag.Descendants(failed).Contains(s)))
        {
            if (results.ContainsKey(step)) continue;
            var skipped = new StepResult(step, StepStatus.Skipped, 0, 0,
                new StepFailure(FailureKind.UpstreamFailed, $"skipped: upstream step {failed} failed", Cause: failed));
            results[step] = skipped;
            yield return skipped;
        }
    }
}
