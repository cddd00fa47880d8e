using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// How a step's timeouts read when they end it (docs/operations.md): a statement_timeout names
/// the limit and where to raise it; a lock wait names the session that held the lock, never its
/// rows. Both keep the place of the statement in the rendered SQL.
/// </summary>
internal static class StepTimeouts
{
    private const string QueryCanceled = "57014";

    /// <summary>
    /// A cancelled statement (57014) is a statement timeout when the step has one and ran that
    /// long, or the server says so (a timeout set on the role or database).
    /// </summary>
    public static bool IsStatementTimeout(PostgresException error, StepConfig step, double seconds) =>
        error.SqlState == QueryCanceled &&
        (step.Timeouts.StatementTimeout is { } limit && seconds >= limit.TotalSeconds ||
         error.MessageText.Contains("statement timeout", StringComparison.Ordinal));

    public static StepFailure StatementFailure(StepConfig step, StepFailure sql)
    {
        var limit = step.Timeouts.StatementTimeout is { } t ? $"statement_timeout ({Duration.Text(t)})" : "the server's statement_timeout";
        return sql with
        {
            Message = $"a statement of {step.Id} ran longer than {limit} and was cancelled",
            Hint = "the step was rolled back; raise statement_timeout on the step in pipeline.yaml (or for every step at its top level), or make the SQL faster",
        };
    }

    public static StepFailure LockWaitFailure(LockWaitTooLong error, StepFailure sql)
    {
        var waits = error.Waits;
        var timeouts = waits.Step.Timeouts;
        var blocker = waits.LastBlocker;
        var what = blocker is null ? "a lock" : blocker.Lock;
        var who = blocker is null ? "a session that had let go each time it was looked for" : blocker.Text;
        return sql with
        {
            Kind = FailureKind.LockWait,
            Message = $"gave up waiting for {what} after {Duration.Human(waits.Waited)} " +
                      $"({waits.Tries} tries of lock_timeout {Duration.Text(timeouts.LockTimeout)}): it is held by {who}",
            Detail = null,
            Hint = "the step was rolled back and readers kept the previous rows; end that session" +
                   (blocker is null ? "" : $" (SELECT pg_terminate_backend({blocker.Pid}))") +
                   $" or raise lock_wait_limit ({Duration.Text(timeouts.LockWaitLimit)}) in pipeline.yaml",
        };
    }
}
