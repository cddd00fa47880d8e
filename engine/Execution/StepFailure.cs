using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Execution;

/// <summary>Why a step did not succeed: what went wrong in it, or why it did not run at all.</summary>
public enum FailureKind
{
    /// <summary>PostgreSQL refused the step's SQL: it has a SqlState, and usually a place in the rendered file.</summary>
    Sql,
    /// <summary>An error-severity data test found offending rows, so the step was rolled back (SPEC §11).</summary>
    DataTests,
    /// <summary>Another session held a lock the step needed for longer than lock_wait_limit (<see cref="StepFailure.Message"/> names it).</summary>
    LockWait,
    /// <summary>An extract step could not read its source.</summary>
    Source,
    /// <summary>The connection to the target broke, and retrying did not help.</summary>
    LostConnection,
    /// <summary>The run was cancelled while the step ran; it was rolled back.</summary>
    Cancelled,
    /// <summary>Skipped: an upstream step failed (<see cref="StepFailure.Cause"/>).</summary>
    UpstreamFailed,
    /// <summary>Undone with the rest of an <c>--atomic</c> run because another step failed (<see cref="StepFailure.Cause"/>).</summary>
    RolledBack,
    /// <summary>Not started: the run was cancelled first.</summary>
    NotStarted,
    /// <summary>Read back from the run log, which keeps the text and the place only.</summary>
    Recorded,
}

/// <summary>
/// A step's failure as data (STYLE.md: failures are data, strings are for people): the place in
/// the rendered SQL, PostgreSQL's SqlState, message, detail and hint, kept apart so each output
/// (terminal, JSON, run log) words them itself.
/// </summary>
/// <param name="Cause">For a step that did not run: the failed step that stopped it.</param>
public sealed record StepFailure(
    FailureKind Kind,
    string Message,
    SourceSpan? Span = null,
    string? SqlState = null,
    string? Detail = null,
    string? Hint = null,
    StepId? Cause = null)
{
    /// <summary>
    /// For a SQL error that <see cref="Span"/> locates in the template the user edits: the same
    /// place in the rendered file that was sent (SPEC §6: the second line of the error).
    /// </summary>
    public SourceSpan? RenderedSpan { get; init; }

    /// <summary>The message with the server's detail, as the run summary shows it.</summary>
    public string Summary => Detail is { Length: > 0 } detail ? $"{Message} ({detail})" : Message;

    /// <summary>The summary and the hint as one text: the <c>error</c> of the run log and of the JSON result (SPEC §10).</summary>
    public string Text => Hint is null ? Summary : $"{Summary}\n  hint: {Hint}";

    /// <summary>A failure as the run log stored it: its text and its place.</summary>
    public static StepFailure Recorded(string text, SourceSpan? span) => new(FailureKind.Recorded, text, span);
}
