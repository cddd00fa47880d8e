using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Config;

public enum Severity { Error, Warn }

/// <summary>
/// A data test declared under a step's <c>tests:</c> (SPEC §11). Every kind compiles to a query
/// returning the offending rows; an empty result is a pass.
/// </summary>
public sealed record DataTestConfig(
    string Kind,
    string Name,
    Severity Severity,
    string? Where,
    ImmutableArray<string> Columns,
    ImmutableArray<string> Values,
    StepReference? To,
    string? Field,
    long? Min,
    long? Max,
    string? Expression,
    string? Query,
    string? QueryFile,
    SourceSpan Span)
{
    /// <summary><c>store_failures: true</c>: the offending rows are kept in the failures schema (docs/authoring.md "Keep what failed").</summary>
    public bool StoreFailures { get; init; }
}
