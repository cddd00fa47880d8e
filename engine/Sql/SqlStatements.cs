using System.Collections.Immutable;

namespace Lacrei.Engine.Sql;

/// <summary>A word of SQL outside strings, quoted names and comments, upper-cased, with where it starts and how deep in parentheses.</summary>
public readonly record struct SqlWord(string Text, int Offset, int Depth);

/// <summary>
/// One top-level statement of a SQL text: its words in order (empty for a text of only comments
/// and blanks), from its first word (<paramref name="Start"/>) to its semicolon or the text's end (<paramref name="End"/>).
/// </summary>
public sealed record SqlStatement(int Start, int End, ImmutableArray<SqlWord> Words)
{
    public bool IsEmpty => Words.IsEmpty;

    /// <summary>The statement's text in <paramref name="sql"/>, without its semicolon (a comment before its first word is not in it).</summary>
    public string Text(string sql) => sql[Start..End];

    /// <summary>The first words, joined by spaces ("CREATE UNIQUE INDEX CONCURRENTLY").</summary>
    public string Leading(int count) => string.Join(' ', Words.Take(count).Select(w => w.Text));
}

/// <summary>
/// Splits SQL into top-level statements the way PostgreSQL's lexer would: semicolons inside
/// strings (<c>'…'</c>, <c>E'…'</c>, <c>$tag$…$tag$</c>), quoted names, comments (nested
/// <c>/* */</c> too), parentheses and SQL-standard function bodies (<c>BEGIN ATOMIC … END</c>)
/// do not end a statement. Enough to tell what kind of statements a step holds, without a parser.
/// </summary>
public static class SqlStatements
{
    public static ImmutableArray<SqlStatement> Split(string sql)
    {
        var statements = ImmutableArray.CreateBuilder<SqlStatement>();
        var words = ImmutableArray.CreateBuilder<SqlWord>();
        var start = 0;
        var depth = 0;
        var atomic = 0;     // open BEGIN ATOMIC bodies
        var cases = 0;      // open CASE expressions inside them (their END is not the body's)
        var first = -1;     // the statement's first character that is no blank and no comment
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && At(sql, i + 1, '-')) { i = IndexOrEnd(sql, "\n", i); continue; }
            if (c == '/' && At(sql, i + 1, '*')) { i = SkipBlockComment(sql, i); continue; }
            if (first < 0 && !char.IsWhiteSpace(c) && c != ';') first = i;
            if (c == '\'') { i = SkipQuoted(sql, i, '\'', backslashEscapes: i > 0 && (sql[i - 1] is 'E' or 'e') && !IsWordChar(sql, i - 2)); continue; }
            if (c == '"') { i = SkipQuoted(sql, i, '"', backslashEscapes: false); continue; }
            if (c == '$' && DollarTag(sql, i) is { } tag) { i = IndexOrEnd(sql, tag, i + tag.Length) + tag.Length; continue; }
            if (c == '(') { depth++; i++; continue; }
            if (c == ')') { depth = Math.Max(0, depth - 1); i++; continue; }
            if (c == ';' && depth == 0 && atomic == 0)
            {
                statements.Add(new SqlStatement(first < 0 ? start : first, i, words.ToImmutable()));
                words.Clear();
                first = -1;
                start = ++i;
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var end = i;
                while (end < sql.Length && IsWordChar(sql, end)) end++;
                var word = sql[i..end].ToUpperInvariant();
                if (word == "ATOMIC" && words.Count > 0 && words[^1].Text == "BEGIN") atomic++;
                else if (atomic > 0 && word == "CASE") cases++;
                else if (atomic > 0 && word == "END") { if (cases > 0) cases--; else atomic--; }
                words.Add(new SqlWord(word, i, depth));
                i = end;
                continue;
            }
            i++;
        }
        statements.Add(new SqlStatement(first < 0 ? start : first, sql.Length, words.ToImmutable()));
        return statements.Where(s => !s.IsEmpty).ToImmutableArray();
    }

    private static bool At(string sql, int index, char c) => index < sql.Length && sql[index] == c;

    private static bool IsWordChar(string sql, int index) =>
        index >= 0 && index < sql.Length && (char.IsLetterOrDigit(sql[index]) || sql[index] is '_' or '$');

    private static int IndexOrEnd(string sql, string what, int from)
    {
        var found = sql.IndexOf(what, from, StringComparison.Ordinal);
        return found < 0 ? sql.Length : found;
    }

    private static int SkipBlockComment(string sql, int i)
    {
        var nesting = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1, '*')) { nesting++; i += 2; }
            else if (sql[i] == '*' && At(sql, i + 1, '/')) { i += 2; if (--nesting == 0) return i; }
            else i++;
        }
        return i;
    }

    private static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\') { i += 2; continue; }
            if (sql[i] == quote)
            {
                if (At(sql, i + 1, quote)) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return i;
    }

    /// <summary><c>$$</c> or <c>$tag$</c> opening a dollar-quoted string (not a <c>$1</c> parameter).</summary>
    private static string? DollarTag(string sql, int i)
    {
        if (IsWordChar(sql, i - 1) && sql[i - 1] != '$') return null;
        var end = i + 1;
        while (end < sql.Length && (char.IsLetterOrDigit(sql[end]) || sql[end] == '_')) end++;
        if (end >= sql.Length || sql[end] != '$') return null;
        if (end > i + 1 && char.IsDigit(sql[i + 1])) return null;
        return sql[i..(end + 1)];
    }
}
