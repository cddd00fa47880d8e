using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// What the meta schema's routines answer (<c>CALL lp_materialize</c>, <c>lp_delete</c>): the rows
/// they wrote, the rows inserted with a new key (the procedure only), and the statements they
/// built and executed, which the engine appends to the step's file in <c>target/rendered/</c>.
/// Read here only, by the routines' parameter names.
/// </summary>
public sealed record MetaAnswer(long Rows, long? Inserted, IReadOnlyList<string> Statements)
{
    /// <summary>The current result of <paramref name="reader"/> when it is such an answer (it is then consumed), otherwise null.</summary>
    public static async Task<MetaAnswer?> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        if (reader.FieldCount == 0 || reader.GetName(0) != "p_rows" || !await reader.ReadAsync(ct)) return null;
        var columns = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName);
        long? inserted = columns.TryGetValue("p_inserted", out var i) && !reader.IsDBNull(i) ? reader.GetInt64(i) : null;
        string[] statements = columns.TryGetValue("p_statements", out var s) && !reader.IsDBNull(s) ? reader.GetFieldValue<string[]>(s) : [];
        return new MetaAnswer(reader.GetInt64(0), inserted, statements);
    }

    /// <summary>
    /// The statements as a block of SQL comments, to follow the step's SQL in its rendered file
    /// without moving the lines that errors point to.
    /// </summary>
    public static string CommentBlock(IReadOnlyList<string> statements) => statements.Count == 0 ? "" :
        "\n-- ==== executed by the meta schema's procedures ====\n" +
        string.Concat(statements.Select(s => "-- " + s.ReplaceLineEndings("\n").Replace("\n", "\n-- ") + ";\n"));
}
