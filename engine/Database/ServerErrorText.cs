using System.Text.RegularExpressions;
using Npgsql;

namespace Lacrei.Engine.Database;

/// <summary>
/// A PostgreSQL error as the engine may print, store, serve or render it (SPEC §9.6: no row value
/// in any log): the server's message, detail and hint with every value a row could have put
/// there left out. What a user needs to fix the step stays: the SQLSTATE, the names of the
/// table, column, constraint and type, and every name the SQL that was sent spells.
/// </summary>
public sealed partial record ServerErrorText(string Message, string? Detail, string? Hint)
{
    /// <summary>What replaces a value the server quoted.</summary>
    public const string Hidden = "…";

    /// <summary>
    /// The one place a server error's texts are taken from. <paramref name="sent"/> is the SQL the
    /// error answers: a quoted text it spells as a name is a name, not a value.
    /// </summary>
    public static ServerErrorText Of(PostgresException error, string? sent)
    {
        // The engine's own errors (LP001…) are worded by its procedures from names and types only.
        if (error.SqlState.StartsWith("LP", StringComparison.Ordinal)) return new(error.MessageText, error.Detail, error.Hint);
        var names = new[] { error.SchemaName, error.TableName, error.ColumnName, error.ConstraintName, error.DataTypeName }
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        // A hint suggests names the SQL may not spell ("Perhaps you meant … "o.total""): a name-shaped text stays there.
        return new(Quoted(error.MessageText, names, sent), RedactDetail(error.Detail, names, sent), error.Hint is { } hint ? Quoted(hint, names, sent, anyName: true) : null);
    }

    /// <summary>
    /// "Failing row contains (…)" and "Key (id)=(5) already exists" quote whole rows and keys;
    /// any other detail keeps what is not a quoted value.
    /// </summary>
    private static string? RedactDetail(string? detail, IReadOnlySet<string> names, string? sent)
    {
        if (detail is null) return null;
        if (detail.StartsWith("Failing row contains", StringComparison.Ordinal)) return $"Failing row contains ({Hidden}).";
        if (detail.StartsWith("Key (", StringComparison.Ordinal) && detail.IndexOf(")=(", StringComparison.Ordinal) is var equals and > 0)
        {
            // The key's columns, then the server's own words after the values (table names), never the values.
            var columns = detail[..(equals + 1)];
            var rest = KeyOutcomes.Select(outcome => detail.LastIndexOf(outcome, StringComparison.Ordinal)).Where(i => i > equals).DefaultIfEmpty(-1).Max();
            return rest < 0 ? $"{columns}=({Hidden})." : $"{columns}=({Hidden}) {detail[rest..]}";
        }
        return Quoted(detail, names, sent);
    }

    /// <summary>How a key detail goes on after its values (unique, foreign key and exclusion violations).</summary>
    private static readonly string[] KeyOutcomes = ["already exists", "is not present in table", "is still referenced from table", "conflicts with existing key", "is duplicated"];

    /// <summary>Every double-quoted text in <paramref name="text"/> that is not a name the error or the SQL gives becomes <see cref="Hidden"/>.</summary>
    private static string Quoted(string text, IReadOnlySet<string> names, string? sent, bool anyName = false) =>
        QuotedText().Replace(text, m => IsName(m.Groups[1].Value, names, sent, anyName) ? m.Value : $"\"{Hidden}\"");

    private static bool IsName(string quoted, IReadOnlySet<string> names, string? sent, bool anyName) =>
        names.Contains(quoted)
        || (anyName && NameShape().IsMatch(quoted))
        || (sent is not null && quoted.Split('.').All(part => SpelledAsName(part, sent)));

    /// <summary>The SQL has the part as a quoted identifier (values are single-quoted), or as a plain name.</summary>
    private static bool SpelledAsName(string part, string sent) =>
        part.Length > 0 && (sent.Contains($"\"{part}\"", StringComparison.Ordinal)
            || (NameShape().IsMatch(part) && Regex.IsMatch(sent, $@"(?<![\p{{L}}\p{{N}}_$]){Regex.Escape(part)}(?![\p{{L}}\p{{N}}_$])")));

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedText();

    /// <summary>A plain or qualified SQL name: a value with a space, a digit first or punctuation is never one.</summary>
    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{N}_$]*(\.[\p{L}_][\p{L}\p{N}_$]*)*$")]
    private static partial Regex NameShape();
}
