using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Execution;

/// <summary>
/// What the schedules need from the database: the one step routine, in a transaction of the
/// step's own or in the one <c>--atomic</c> transaction, and the run-log row of a step that did
/// not commit. An interface so that scheduling is tested without a database.
/// </summary>
internal interface IStepExecutor
{
    /// <summary>Runs a step in its own transaction, committed with its run-log row; its failure is a failed result, not an exception.</summary>
    Task<StepResult> RunAsync(RenderedStep step, ChangeDetector? detector, CancellationToken ct);

    /// <summary><c>--atomic</c>: opens the one transaction that every step of the run shares.</summary>
    Task<IAtomicTransaction> BeginAtomicAsync(CancellationToken ct);

    /// <summary>Logs a step that did not commit (failed or skipped) outside any transaction; a lost connection is tolerated.</summary>
    Task RecordAsync(StepResult result);
}

/// <summary>The one transaction of an <c>--atomic</c> run: disposed without <see cref="CommitAsync"/>, it rolls every step back.</summary>
internal interface IAtomicTransaction : IAsyncDisposable
{
    /// <summary>The same step routine on the shared transaction: nothing is logged or committed yet.</summary>
    Task<StepResult> RunAsync(RenderedStep step, CancellationToken ct);

    /// <summary>Logs every step and commits them together.</summary>
    Task CommitAsync(IReadOnlyList<StepResult> results, CancellationToken ct);
}
