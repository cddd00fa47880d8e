using System.Collections.Immutable;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Quality;

public enum UnitTestStatus { Passed, Failed, Error }

/// <summary>
/// The outcome of one unit test: the rows it expected that the step did not return
/// (<paramref name="Missing"/>) and the rows the step returned that it did not expect
/// (<paramref name="Unexpected"/>), each as JSON of the compared columns; or the database's
/// error when the step's SELECT failed. Mock data only, so rows may be shown.
/// </summary>
public sealed record UnitTestResult(
    UnitTestCase Test,
    UnitTestStatus Status,
    ImmutableArray<string> Missing,
    ImmutableArray<string> Unexpected,
    string? Error = null,
    SourceSpan? ErrorSpan = null)
{
    /// <summary>Problems of the unit-test file itself (exit 2), found only against the database (columns, values).</summary>
    public ImmutableArray<Diagnostic> Problems { get; init; } = [];
}
