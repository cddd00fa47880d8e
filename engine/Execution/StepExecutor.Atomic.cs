using Lacrei.Engine.Templating;
using Npgsql;

namespace Lacrei.Engine.Execution;

internal sealed partial class StepExecutor
{
    /// <summary>
    /// <c>--atomic</c>: every step on one transaction, with no retry after a lost connection (a
    /// retry would have to replay the steps before); after a lock timeout the step alone is tried
    /// again from a savepoint.
    /// </summary>
    private sealed class AtomicTransaction(StepExecutor executor, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAtomicTransaction
    {
        private const string Savepoint = "lp_step";

        public Task<StepResult> RunAsync(RenderedStep step, CancellationToken ct)
        {
            var waits = new StepLockWaits(step.Step);
            return executor.GuardAsync(step, attempt => executor._locks.RetryAsync(waits, async () =>
            {
                await transaction.SaveAsync(Savepoint, ct);
                await using (executor._locks.Watch(waits, await LockWaits.SetUpAsync(connection, transaction, step.Step.Timeouts, ct)))
                {
                    var result = await executor.ExecuteAsync(connection, transaction, step, goOn: false, attempt, ct);
                    // One transaction for the whole run: a step's indexes are built in it too, after its rows.
                    if (step.IndexSql is { } indexes) await SendAsync(connection, transaction, indexes, attempt.Executed, ct);
                    await transaction.ReleaseAsync(Savepoint, ct);
                    await executor.AppendExecutedAsync(step, attempt.Executed);
                    return result;
                }
            }, undo: () => transaction.RollbackAsync(Savepoint, ct), ct));
        }

        public async Task CommitAsync(IReadOnlyList<StepResult> results, CancellationToken ct)
        {
            foreach (var result in results) await executor._runLog.RecordStepAsync(connection, transaction, executor._runId, result, ct);
            await transaction.CommitAsync(ct);
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
