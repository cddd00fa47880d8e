using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Execution;

/// <summary>
/// <c>--atomic</c>: the whole selection in one transaction, in DAG order. The first failure
/// rolls everything back, so the run leaves nothing behind (SPEC §6).
/// </summary>
internal sealed class AtomicSchedule(Workspace workspace, IStepExecutor executor, IRunProgress progress)
{
    public async Task<IReadOnlyList<StepResult>> RunAsync(IReadOnlyList<StepId> selected, CancellationToken ct)
    {
        var results = new List<StepResult>();
        StepResult? failure = null;
        await using (var transaction = await executor.BeginAtomicAsync(ct))
        {
            foreach (var id in selected)
            {
                progress.StepStarted(id);
                var result = await transaction.RunAsync(workspace.Steps[id], ct);
                progress.StepFinished(result);
                if (!result.Succeeded)
                {
                    failure = result;
                    break;
                }
                results.Add(result);
            }
            if (failure is null)
            {
                await transaction.CommitAsync(results, ct);
                return results;
            }
        }

        // Everything is rolled back: the steps that had run are undone, the rest never ran.
        var outcome = new List<StepResult>();
        foreach (var id in selected)
        {
            var result = id == failure.Step ? failure
                : new StepResult(id, StepStatus.Skipped, 0, 0,
                    new StepFailure(FailureKind.RolledBack, $"rolled back: --atomic and step {failure.Step} failed", Cause: failure.Step));
            outcome.Add(result);
            if (id != failure.Step && results.All(r => r.Step != id)) progress.StepFinished(result);
        }
        foreach (var result in outcome) await executor.RecordAsync(result);
        return outcome;
    }
}
