using Lacrei.Engine.Diagnostics;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// Points a PostgreSQL error into the rendered SQL file that was sent (STYLE.md: "the SQL that
/// runs is on disk"): the failing statement of the batch plus the server's character position.
/// </summary>
public static class SqlErrorLocator
{
    public static SourceSpan Locate(PostgresException error, string sql, string renderedFile) =>
        SpanAt(sql, Offset(error, sql), renderedFile);

    /// <summary>
    /// Where in <paramref name="sql"/> the error is: the server's position in the failing
    /// statement, or without one the statement's first non-blank character.
    /// </summary>
    public static int Offset(PostgresException error, string sql)
    {
        var statementStart = 0;
        if (error.BatchCommand?.CommandText is { Length: > 0 } statement)
        {
            // The executor sends the statements as SqlStatements splits them: the same split finds it again.
            var found = Sql.SqlStatements.Split(sql).FirstOrDefault(s => s.Text(sql) == statement)?.Start
                ?? sql.IndexOf(statement.Trim(), StringComparison.Ordinal);
            if (found >= 0) statementStart = found;
        }
        var offset = statementStart;
        if (error.Position > 0)
        {
            // Position counts characters from 1 in the statement as the server saw it.
            var statementText = error.BatchCommand?.CommandText ?? sql;
            var leading = statementText.Length - statementText.TrimStart().Length;
            offset = statementStart + Math.Max(0, error.Position - 1 - leading);
        }
        offset = Math.Clamp(offset, 0, sql.Length);
        if (error.Position <= 0)
            while (offset < sql.Length && char.IsWhiteSpace(sql[offset])) offset++;
        return offset;
    }

    /// <summary>The 1-based line and column of a character offset.</summary>
    public static SourceSpan SpanAt(string text, int offset, string file) => SourceSpan.At(text, offset, file);
}
