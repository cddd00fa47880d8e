using System.Collections.Immutable;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Sql;

/// <summary>
/// Compiles a declared data test (SPEC §11) into a query returning the offending rows. The
/// runner wraps it to count them and keep a few samples; an empty result is a pass.
/// </summary>
public static class DataTestSql
{
    /// <summary>Tests of single rows: on an incremental run they can look at the rows it recomputed only.</summary>
    public static bool IsRowLevel(DataTestConfig test) => test.Kind is "not_null" or "accepted_values" or "expression" or "relationships";

    /// <param name="recomputedOnly">Only the rows the step's SELECT returned in this run (incremental steps with a scope).</param>
    /// <param name="readTable">The table another step's rows are read from, as <c>ref</c> renders it (with --defer, production's).</param>
    public static string Offending(Project project, StepConfig step, DataTestConfig test, string? renderedQuery, bool recomputedOnly = false,
        Func<StepConfig, string>? readTable = null)
    {
        // The rows a run recomputed are exactly its step-local rows (what the upsert wrote or left equal).
        var table = recomputedOnly ? StepTables.Rows : project.TableOf(step);
        // `where:` narrows the rows a test looks at (SPEC §11): the filter applies before the check.
        if (test.Where is not null) table = $"(SELECT * FROM {table} WHERE {test.Where})";
        var rows = test.Where is not null ? $"{table} AS filtered" : table;
        var columns = test.Columns.Select(c => Identifier.Parse(c).Quoted).ToList();
        var columnList = string.Join(", ", columns);
        return test.Kind switch
        {
            "unique" => $"SELECT {columnList}, count(*) AS duplicates FROM {rows} GROUP BY {columnList} HAVING count(*) > 1",
            "not_null" or "expression" => $"SELECT * FROM {rows} WHERE {RowCondition(test)}",
            "accepted_values" => $"SELECT {columns[0]}, count(*) AS rows FROM {rows} WHERE {RowCondition(test)} GROUP BY {columns[0]}",
            "relationships" => Relationships(project, test, table, columns[0], readTable ?? project.TableOf),
            "row_count" =>
                $"SELECT row_count FROM (SELECT count(*) AS row_count FROM {rows}) AS counted WHERE " +
                string.Join(" OR ", new[] { test.Min is { } min ? $"row_count < {min}" : null, test.Max is { } max ? $"row_count > {max}" : null }.OfType<string>()),
            "min_cell_size" => $"SELECT * FROM {rows} WHERE {columns[0]} BETWEEN 1 AND {Threshold(project, test) - 1}",
            "sql" => SqlText.TrimStatement(renderedQuery ?? ""),
            _ => throw new InvalidOperationException($"unknown test kind {test.Kind}"),
        };
    }

    /// <summary>
    /// When a row offends a not_null, accepted_values or expression test (null for other kinds): the
    /// condition of the test's own query and of <see cref="OnePass"/>.
    /// </summary>
    private static string? RowCondition(DataTestConfig test)
    {
        var columns = test.Columns.Select(c => Identifier.Parse(c).Quoted).ToList();
        return test.Kind switch
        {
            "not_null" => string.Join(" OR ", columns.Select(c => c + " IS NULL")),
            "accepted_values" => $"{columns[0]} IS NOT NULL AND {columns[0]}::text NOT IN ({string.Join(", ", test.Values.Select(SqlText.Literal))})",
            // NULL is not a violation: `pct BETWEEN 0 AND 100` holds vacuously for a NULL percentage.
            "expression" => $"NOT ({test.Expression})",
            _ => null,
        };
    }

    /// <summary>
    /// A step's not_null, accepted_values and expression tests in one pass over its table, when it
    /// has two or more: for each, how many rows offend, by the condition of its own query. Tests
    /// that pass, the usual case, read the table once together instead of once each; a test whose
    /// count is not zero runs its own query for its failures and samples. (Relationships stay apart:
    /// their cost is hashing the parent and probing it, which one pass does not save.)
    /// </summary>
    /// <param name="recomputedOnly">Over the rows the run recomputed (<see cref="StepTables.Rows"/>), as their <c>RecomputedSql</c>.</param>
    public static OnePassTests? OnePass(Project project, StepConfig step, IReadOnlyList<DataTestConfig> tests, bool recomputedOnly)
    {
        var positions = Enumerable.Range(0, tests.Count).Where(i => RowCondition(tests[i]) is not null).ToImmutableArray();
        if (positions.Length < 2) return null;
        var counts = positions.Select(i => (Test: tests[i], Condition: RowCondition(tests[i])!))
            .Select((t, column) => $"    count(*) FILTER (WHERE {(t.Test.Where is null ? t.Condition : $"({t.Test.Where}) AND ({t.Condition})")}) AS lp_test_{column + 1}");
        return new OnePassTests($"SELECT\n{string.Join(",\n", counts)}\nFROM {(recomputedOnly ? StepTables.Rows : project.TableOf(step))}", positions);
    }

    /// <summary>The smallest group a count column may publish: the test's threshold, else max(5, <c>vars.min_cell_size</c>).</summary>
    public static long Threshold(Project project, DataTestConfig test) => MinCellSize.TestThreshold(project, test.Min);

    /// <summary>
    /// A unique test over exactly the columns of the table's primary key cannot fail: this query
    /// says so from the catalog, and the test costs nothing.
    /// </summary>
    public static string? PrimaryKeyCheck(Project project, StepConfig step, DataTestConfig test) =>
        test.Kind != "unique" ? null
        : $"SELECT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conrelid = to_regclass({SqlText.Literal(project.TableOf(step))}) AND c.contype = 'p' " +
          $"AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) " +
          $"= ARRAY[{string.Join(", ", test.Columns.Order(StringComparer.Ordinal).Select(SqlText.Literal))}]::text[])";

    private static string Relationships(Project project, DataTestConfig test, string rows, string column, Func<StepConfig, string> readTable)
    {
        StepId.TryParse(test.To!.Text, out var toId);
        var target = project.Config.Steps.First(s => s.Id == toId);
        var field = Identifier.Parse(test.Field ?? test.Columns[0]).Quoted;
        return $"SELECT {column}, count(*) AS rows FROM {rows} AS child WHERE {column} IS NOT NULL " +
               $"AND NOT EXISTS (SELECT 1 FROM {readTable(target)} AS parent WHERE parent.{field} = child.{column}) GROUP BY {column}";
    }
}

/// <summary>Tests of a step as one query (<see cref="DataTestSql.OnePass"/>): its column lp_test_N counts the rows offending the test at the N-th of <see cref="Positions"/> (1-based).</summary>
public sealed record OnePassTests(string Sql, ImmutableArray<int> Positions);
