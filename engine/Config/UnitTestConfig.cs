using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Config;

/// <summary>
/// A unit test with mock inputs (issue 23, as dbt's unit tests): rows for each <c>ref</c> and
/// <c>source</c> a step reads, and the rows its SELECT must return (order-insensitive, only the
/// listed columns compared). Read from <c>unit_tests/*.yaml</c> beside pipeline.yaml.
/// </summary>
public sealed record UnitTestCase(
    string Name,
    StepId Step,
    string? Description,
    DateOnly? AsOf,
    ImmutableArray<UnitTestInput> Given,
    UnitTestRows Expect,
    SourceSpan Span)
{
    public override string ToString() => $"{Step} › {Name}";
}

/// <summary>What a mock input stands for: a step or seed read with <c>ref</c>, or a source table read with <c>source</c>.</summary>
public enum UnitTestInputKind { Ref, Source }

/// <summary>
/// One mock input. <paramref name="Name"/> is <c>layer.step</c> / <c>seeds.name</c> for a ref,
/// <c>source.table</c> for a source. <paramref name="ColumnTypes"/> are declared types, used
/// where the real table does not exist or to override its type.
/// </summary>
public sealed record UnitTestInput(
    UnitTestInputKind Kind,
    string Name,
    ImmutableDictionary<string, string> ColumnTypes,
    UnitTestRows Rows,
    SourceSpan Span)
{
    /// <summary>For a source input: the source and its table.</summary>
    public (string Source, string Table) SourceTable => Name.IndexOf('.') is var dot and > 0 ? (Name[..dot], Name[(dot + 1)..]) : (Name, "");
}

/// <summary>Rows as written: their columns (in first-seen order) and every cell's text (null for YAML null).</summary>
public sealed record UnitTestRows(ImmutableArray<UnitTestColumn> Columns, ImmutableArray<UnitTestRow> Rows);

public sealed record UnitTestColumn(string Name, SourceSpan Span);

public sealed record UnitTestRow(ImmutableDictionary<string, string?> Cells, SourceSpan Span);
