using System.Text.RegularExpressions;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Graph;

/// <summary>
/// Data minimisation (SPEC §9.2): an extracted column that no later step reads should not leave
/// the source. A token-level check: a column counts as read when its name appears as a word (or a
/// quoted identifier) in the rendered SQL, scope or data tests of a step that reads the extract
/// step (<c>ref</c> or <c>changes</c>), comments left out. A name that only matches by chance
/// (another table's column of the same name) passes, so the check never warns wrongly about a
/// column that is read, and catches the columns nothing mentions.
/// </summary>
public static partial class UnusedExtractColumns
{
    /// <summary>One warning per extracted column that no reader mentions, at the column in pipeline.yaml.</summary>
    public static IReadOnlyList<Diagnostic> Find(Workspace workspace)
    {
        var warnings = new List<Diagnostic>();
        foreach (var step in workspace.Project.Config.Steps)
        {
            if (step.Extract is not { } extract) continue;
            var readers = workspace.Dag.Contains(step.Id)
                ? workspace.Dag.Descendants(step.Id).Where(id => Reads(workspace, id, step.Id)).ToList()
                : [];
            var words = readers.SelectMany(id => Words(workspace.Steps[id])).ToHashSet(StringComparer.OrdinalIgnoreCase);
            // The engine itself reads the key, the cursor and the soft-delete column of every extract step.
            var engineColumns = new HashSet<string>(StringComparer.Ordinal) { extract.Key, extract.SoftDeleteColumn };
            if (extract.Cursor is { } cursor) engineColumns.Add(cursor);
            foreach (var column in extract.Columns.Concat(extract.Expressions.Keys.Order(StringComparer.Ordinal)))
            {
                if (engineColumns.Contains(column) || words.Contains(column)) continue;
                var span = extract.ColumnSpans.GetValueOrDefault(column) ?? extract.Span;
                warnings.Add(new Diagnostic(ErrorKind.Config, span,
                    readers.Count == 0
                        ? $"step '{step.Id}' extracts '{column}', and no step reads '{step.Id}'"
                        : $"step '{step.Id}' extracts '{column}', which no step that reads it mentions ({string.Join(", ", readers)})",
                    "leave it in the source: remove it from columns: (data minimisation, docs/privacy.md)"));
            }
        }
        return warnings;
    }

    private static bool Reads(Workspace workspace, StepId reader, StepId extract)
    {
        var rendered = workspace.Steps.GetValueOrDefault(reader);
        return rendered is not null && (rendered.ChangeProducers.Contains(extract)
            || rendered.Refs.Any(r => r.Text == extract.ToString()));
    }

    /// <summary>The words and quoted identifiers of everything the step sends, without comments.</summary>
    private static IEnumerable<string> Words(RenderedStep step)
    {
        var texts = new[] { step.Sql, step.FullSql ?? "" }.Concat(step.Tests.Select(t => t.Sql));
        foreach (var text in texts)
            foreach (Match match in Word().Matches(Comment().Replace(text, " ")))
                yield return match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Value;
    }

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"""(?<quoted>[^""]+)""|[A-Za-z_][A-Za-z0-9_$]*")]
    private static partial Regex Word();
}
