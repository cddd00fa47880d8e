using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Quality;

namespace Lacrei.Engine.Execution;

/// <summary>
/// What happened to one step: the row of the run log and of the JSON result. A step that did
/// not succeed carries its <see cref="StepFailure"/>: its error, or why it did not run. A
/// <paramref name="Warning"/> is for people: the step succeeded, but something in its input deserves a look
/// (an extract step's source rows whose cursor is NULL, infinite or in the future, SPEC §9.2).
/// </summary>
public sealed record StepResult(
    StepId Step,
    StepStatus Status,
    long Rows,
    double Seconds,
    StepFailure? Failure = null,
    string? SqlHash = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    IReadOnlyList<DataTestResult>? Tests = null,
    string? Warning = null,
    long? ErasedPeople = null)
{
    public bool Succeeded => Status is StepStatus.Success or StepStatus.Unchanged;
}

/// <summary>The outcome of a run (SPEC §10). A run returns this; it does not throw for a failed step.</summary>
public sealed record RunResult(
    string RunId,
    string Trigger,
    string Selection,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<StepResult> Steps,
    bool Cancelled = false,
    IReadOnlyList<RejectCount>? Rejects = null)
{
    /// <summary>Source rows that could not be used, from the pipeline's <c>rejects:</c> step (SPEC §9.3).</summary>
    public long RejectedRows => Rejects?.Sum(r => r.Rows) ?? 0;

    /// <summary>success: every step succeeded; failed: nothing succeeded; partial: some did.</summary>
    public RunStatus Status =>
        Cancelled ? RunStatus.Cancelled
        : Steps.All(s => s.Succeeded) ? RunStatus.Success
        : Steps.Any(s => s.Succeeded) ? RunStatus.Partial
        : RunStatus.Failed;

    public long Rows => Steps.Sum(s => s.Rows);

    /// <summary>
    /// The people whose rows this run removed (SPEC §9.6 erasure report): the rows deleted from the
    /// tables of <c>people: true</c> extract steps; null when no such step ran.
    /// </summary>
    public long? ErasedPeople => Steps.Any(s => s.ErasedPeople is not null) ? Steps.Sum(s => s.ErasedPeople ?? 0) : null;

    public IEnumerable<DataTestResult> Tests => Steps.SelectMany(s => s.Tests ?? []);
}
