namespace Lacrei.Engine.Meta;

/// <summary>
/// A row of the run log's <c>runs</c> table (0001_run_log.sql). <paramref name="Options"/> is the
/// JSON of what <c>--resume</c> needs to repeat the run; <paramref name="Threads"/> is read from it.
/// </summary>
/// <paramref name="Rejects"/> is the JSON of the rejected source rows the run counted (0007_run_results.sql).
public sealed record RunRecord(string RunId, string Trigger, string Selection, string? Target, RunStatus Status,
    DateTime StartedAt, DateTime? FinishedAt, string? Error, string Options, int Threads, string? Rejects = null);

/// <summary>A run with its steps counted (<c>engine runs</c>, the API's list).</summary>
public sealed record RunSummary(string RunId, string Trigger, string Selection, RunStatus Status, DateTime StartedAt,
    DateTime? FinishedAt, long Steps, long Failed, long Rows, string? Error);

/// <summary>
/// A row of <c>run_steps</c>: one step of one run. <paramref name="ErrorLocation"/> is
/// <c>file(line,col)</c> in the rendered SQL or the template; times are UTC. <paramref name="Warning"/>
/// is a successful step's warning (0012_exact_extraction.sql).
/// </summary>
public sealed record StepRecord(string RunId, string Step, StepStatus Status, long Rows, double Seconds, string? Error = null,
    string? ErrorLocation = null, string? SqlHash = null, DateTime? StartedAt = null, DateTime? FinishedAt = null, string? Warning = null,
    long? ErasedPeople = null);

/// <summary>
/// A row of <c>test_results</c>: one data test of one step in one run. Status and severity are the
/// data tests' own words (Quality); <paramref name="Sample"/> is a JSON array of offending rows.
/// <paramref name="CheckedAt"/> is set by the database when the row is written.
/// </summary>
public sealed record TestRecord(string RunId, string Step, string Test, string Kind, string Severity, string Status, long Failures,
    string Sample, string? Error, DateTime? CheckedAt = null);

/// <summary>The last run that ended: what <c>--resume</c> repeats, and the steps of it that did not succeed.</summary>
public sealed record PreviousRunRecord(string RunId, RunStatus Status, string Options, IReadOnlyList<string> NotSucceeded);
