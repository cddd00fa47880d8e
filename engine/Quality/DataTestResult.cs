using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Quality;

public enum TestStatus { Passed, Failed, Warned }

/// <summary>The outcome of one data test: how many rows offend, and a few of them (sensitive columns masked).</summary>
public sealed record DataTestResult(
    StepId Step,
    string Name,
    string Kind,
    Severity Severity,
    TestStatus Status,
    long Failures,
    IReadOnlyList<IReadOnlyList<KeyValuePair<string, string?>>> Samples,
    SourceSpan Span,
    string? Error = null)
{
    /// <summary>An error-severity test that failed: its step must not be published.</summary>
    public bool Blocks => Status == TestStatus.Failed;
}

/// <summary>Thrown inside a step's transaction when an error-severity test fails, so the step is rolled back.</summary>
public sealed class DataTestFailure(IReadOnlyList<DataTestResult> results)
    : Exception($"{results.Count(r => r.Blocks)} data test(s) failed: " +
                string.Join(", ", results.Where(r => r.Blocks).Select(r => r.Error is null ? $"{r.Name} ({r.Failures} rows)" : $"{r.Name} ({r.Error})")))
{
    public IReadOnlyList<DataTestResult> Results { get; } = results;
}
