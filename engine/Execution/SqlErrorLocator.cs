using Lacrei.Engine.Diagnostics;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// Points a PostgreSQL error into the rendered SQL file that was sent (STYLE.md: "the SQL that
/// runs is on disk"): the failing statement of the batch plus the server's character position.
/// </summary>
public static class SqlErrorLocator
{
    public static SourceSpan Locate(PostgresException error, string sql, string renderedFile)
    {
        var statementStart = 0;
        if (error.BatchCommand?.CommandText is { Length: > 0 } statement)
        {
            var found = sql.IndexOf(statement.Trim(), StringComparison.Ordinal);
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
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
            if (sql[i] == '\n') { line++; lineStart = i + 1; }
        // Without a position, point at the first non-blank character of the statement.
        var column = offset - lineStart + 1;
        if (error.Position <= 0)
        {
            while (offset < sql.Length && char.IsWhiteSpace(sql[offset]))
            {
                if (sql[offset] == '\n') { line++; lineStart = offset + 1; }
                offset++;
            }
            column = offset - lineStart + 1;
        }
        return new SourceSpan(renderedFile, line, column);
    }
}
