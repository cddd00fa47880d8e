using Lacrei.Engine.Config;

namespace Lacrei.Engine.Sql;

/// <summary>
/// The SQL of a unit test with mock inputs: temporary tables that stand in for the step's
/// inputs, the step's rows, the expected rows, and their difference. Everything is temporary
/// and the test's transaction is rolled back, so nothing a unit test does stays.
/// </summary>
public static class UnitTestSql
{
    /// <summary>The step's rows under test.</summary>
    public const string Actual = "lp_unit_actual";

    /// <summary>The rows the test expects, typed like the step's columns they name.</summary>
    public const string Expected = "lp_unit_expected";

    /// <summary>The stand-in for the test's <paramref name="index"/>-th input, as templates render it.</summary>
    public static string Input(int index) => $"pg_temp.lp_unit_input_{index}";

    /// <summary>Columns and types of a table, in order (none when it does not exist). Parameter: <c>@relation</c>, a quoted name.</summary>
    public const string ColumnsOf =
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_attribute AS a
        WHERE a.attrelid = to_regclass(@relation)
          AND a.attnum > 0
          AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    public static string CreateInput(int index, IEnumerable<(string Column, string Type)> columns) =>
        $"CREATE TEMP TABLE {Input(index)} ({string.Join(", ", columns.Select(c => $"{Identifier.Parse(c.Column).Quoted} {c.Type}"))}) ON COMMIT DROP";

    /// <summary>
    /// Rows given as a JSON array of objects of text values (<c>@rows</c>): each value is read by
    /// its column type's input function, as a literal would be; a column left out is NULL.
    /// </summary>
    public static string Fill(string table) =>
        $"INSERT INTO {table} SELECT * FROM jsonb_populate_recordset(NULL::{table}, @rows::jsonb)";

    public static string CreateActual(string select) =>
        $"CREATE TEMP TABLE {Actual} ON COMMIT DROP AS\n{SqlText.TrimStatement(select).TrimStart('\n')}\n";

    /// <summary>The expected rows' table: the listed columns of the step's rows, with their types.</summary>
    public static string CreateExpected(IReadOnlyList<string> columns) =>
        $"CREATE TEMP TABLE {Expected} ON COMMIT DROP AS SELECT {List(columns)} FROM {Actual} WITH NO DATA";

    /// <summary>
    /// Rows expected and not returned (<c>missing</c>) and returned and not expected
    /// (<c>unexpected</c>), as multisets over the listed columns (a row expected twice must come
    /// twice; NULLs compare equal), each shown as JSON in the listed order.
    /// </summary>
    public static string Differences(IReadOnlyList<string> columns)
    {
        var shown = columns.Count == 0
            ? "'{}'::text"
            : $"json_build_object({string.Join(", ", columns.Select(c => $"{SqlText.Literal(c)}, d.{Identifier.Parse(c).Quoted}"))})::text";
        return $"""
            SELECT 'missing', {shown} FROM (SELECT {List(columns)} FROM {Expected} EXCEPT ALL SELECT {List(columns)} FROM {Actual}) AS d
            UNION ALL
            SELECT 'unexpected', {shown} FROM (SELECT {List(columns)} FROM {Actual} EXCEPT ALL SELECT {List(columns)} FROM {Expected}) AS d
            """;
    }

    private static string List(IReadOnlyList<string> columns) => string.Join(", ", columns.Select(c => Identifier.Parse(c).Quoted));
}
