using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;
using Npgsql;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Execution;

/// <summary>
/// <c>--atomic</c>: the whole selection in one transaction, in DAG order. The first failure
/// rolls everything back, so the run leaves nothing behind (SPEC §6).
/// </summary>
internal sealed class AtomicSchedule(Workspace workspace, StepExecutor executor, RunLog runLog, IRunProgress progress)
{
    public async Task<IReadOnlyList<StepResult>> RunAsync(NpgsqlDataSource dataSource, string runId, IReadOnlyList<StepId> selected, CancellationToken ct)
    {
        var results = new List<StepResult>();
        StepResult? failure = null;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            foreach (var id in selected)
            {
                var step = workspace.Steps[id];
                progress.StepStarted(id);
                var started = DateTimeOffset.UtcNow;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    var rows = await executor.ExecuteAsync(connection, transaction, step, ct);
                    var tests = await Quality.TestRunner.RunAsync(connection, transaction, step, ct);
                    if (tests.Any(t => t.Blocks)) throw new Quality.DataTestFailure(tests);
                    var result = new StepResult(id, StepStatus.Success, rows, clock.Elapsed.TotalSeconds, SqlHash: step.Hash,
                        StartedAt: started, FinishedAt: DateTimeOffset.UtcNow, Tests: tests);
                    results.Add(result);
                    progress.StepFinished(result);
                }
                catch (Exception error) when (error is PostgresException or NpgsqlException or OperationCanceledException or Quality.DataTestFailure or Extraction.SourceException)
                {
                    failure = executor.Failed(step, error, started, clock.Elapsed.TotalSeconds);
                    progress.StepFinished(failure);
                    break;
                }
            }
            if (failure is null)
            {
                foreach (var result in results) await runLog.RecordStepAsync(connection, transaction, runId, result, ct);
                await transaction.CommitAsync(ct);
                return results;
            }
        }

        // Everything is rolled back: the steps that had run are undone, the rest never ran.
        var outcome = new List<StepResult>();
        foreach (var id in selected)
        {
            var result = id == failure.Step ? failure
                : new StepResult(id, StepStatus.Skipped, 0, 0, $"rolled back: --atomic and step {failure.Step} failed");
            outcome.Add(result);
            if (id != failure.Step && results.All(r => r.Step != id)) progress.StepFinished(result);
        }
        await using var logConnection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        foreach (var result in outcome) await runLog.RecordStepAsync(logConnection, null, runId, result, CancellationToken.None);
        return outcome;
    }
}
