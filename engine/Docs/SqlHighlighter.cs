using System.Net;
using System.Text;

namespace Lacrei.Engine.Docs;

/// <summary>
/// SQL as HTML with <c>&lt;span class="…"&gt;</c> around keywords, types, functions, strings,
/// quoted names, numbers and comments. A small tokenizer is enough here: the SQL is ours
/// (rendered by the engine), and it only has to read well, not be parsed.
/// </summary>
public static class SqlHighlighter
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ADD", "ALL", "ALTER", "AND", "ANY", "ARRAY", "AS", "ASC", "BEGIN", "BETWEEN", "BY", "CALL", "CASCADE", "CASE", "CAST",
        "COLUMN", "COMMENT", "COMMIT", "CONFLICT", "CONSTRAINT", "COPY", "CREATE", "CROSS", "DEFAULT", "DELETE", "DESC", "DISTINCT",
        "DO", "DROP", "ELSE", "END", "EXCEPT", "EXISTS", "FALSE", "FILTER", "FIRST", "FOR", "FROM", "FULL", "GROUP", "HAVING", "IF",
        "ILIKE", "IN", "INDEX", "INNER", "INSERT", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "KEY", "LAST", "LATERAL", "LEFT",
        "LIKE", "LIMIT", "NOT", "NOTHING", "NULL", "NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OUTER", "OVER", "PARTITION",
        "PRIMARY", "RECURSIVE", "REFERENCES", "REPLACE", "RETURNING", "RIGHT", "ROWS", "SELECT", "SET", "TABLE", "TEMP",
        "TEMPORARY", "THEN", "TO", "TRUE", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "VIEW", "WHEN", "WHERE", "WINDOW", "WITH",
        "ZONE", "AT", "STDIN", "STDOUT", "FORMAT", "BINARY", "EXCLUDED",
    };

    private static readonly HashSet<string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        "bigint", "boolean", "bool", "char", "date", "decimal", "double", "float8", "int", "int4", "int8", "integer", "interval",
        "json", "jsonb", "numeric", "real", "smallint", "text", "time", "timestamp", "timestamptz", "uuid", "varchar",
    };

    public static string ToHtml(string sql)
    {
        var html = new StringBuilder(sql.Length * 2);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var start = i;
            if (c == '-' && Peek(sql, i + 1) == '-')
            {
                i = sql.IndexOf('\n', i) is var nl && nl < 0 ? sql.Length : nl;
                Span(html, "c", sql[start..i]);
            }
            else if (c == '/' && Peek(sql, i + 1) == '*')
            {
                i = sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end && end < 0 ? sql.Length : end + 2;
                Span(html, "c", sql[start..i]);
            }
            else if (c is '\'' or '"')
            {
                i = QuotedEnd(sql, i, c);
                Span(html, c == '\'' ? "s" : "q", sql[start..i]);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                i = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal) is var end && end < 0 ? sql.Length : end + tag.Length;
                Span(html, "s", sql[start..i]);
            }
            else if (char.IsDigit(c))
            {
                while (i < sql.Length && (char.IsDigit(sql[i]) || sql[i] == '.')) i++;
                Span(html, "n", sql[start..i]);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_')) i++;
                var word = sql[start..i];
                var kind = Keywords.Contains(word) ? "k" : Types.Contains(word) ? "t" : NextNonSpace(sql, i) == '(' ? "f" : null;
                if (kind is null) html.Append(WebUtility.HtmlEncode(word));
                else Span(html, kind, word);
            }
            else
            {
                html.Append(WebUtility.HtmlEncode(c.ToString()));
                i++;
            }
        }
        return html.ToString();
    }

    private static void Span(StringBuilder html, string kind, string text) =>
        html.Append("<span class=\"").Append(kind).Append("\">").Append(WebUtility.HtmlEncode(text)).Append("</span>");

    private static char Peek(string sql, int i) => i < sql.Length ? sql[i] : '\0';

    private static char NextNonSpace(string sql, int i)
    {
        while (i < sql.Length && sql[i] == ' ') i++;
        return Peek(sql, i);
    }

    /// <summary>The end of a quoted string or name, where a doubled quote is an escaped one.</summary>
    private static int QuotedEnd(string sql, int i, char quote)
    {
        i++;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (Peek(sql, i + 1) != quote) return i + 1;
                i++;
            }
            i++;
        }
        return sql.Length;
    }

    /// <summary><c>$$</c> or <c>$name$</c> opening a dollar-quoted body (PL/pgSQL); a parameter such as <c>$1</c> is not one.</summary>
    private static string? DollarTag(string sql, int i)
    {
        var j = i + 1;
        while (j < sql.Length && (char.IsLetter(sql[j]) || sql[j] == '_')) j++;
        return j < sql.Length && sql[j] == '$' ? sql[i..(j + 1)] : null;
    }
}
