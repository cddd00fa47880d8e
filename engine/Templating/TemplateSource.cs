using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Templating;

/// <summary>A template file of a step, as written and as rendered: where errors in the SQL it produced point back to.</summary>
/// <param name="File">The template's path as messages show it.</param>
public sealed record TemplateSource(string File, string Template, string Rendered)
{
    /// <summary>
    /// The place in this template of a character of <paramref name="sent"/> (the step's whole SQL,
    /// materialization included), or null when the character is not part of what this template rendered.
    /// </summary>
    public SourceSpan? Locate(string sent, int offset)
    {
        // The materialization includes the rendered text trimmed (SqlText.TrimStatement, leading newlines dropped).
        var included = SqlText.TrimStatement(Rendered).TrimStart('\n');
        if (included.Length == 0) return null;
        var at = sent.IndexOf(included, StringComparison.Ordinal);
        if (at < 0 || offset < at || offset > at + included.Length) return null;
        var inRendered = Rendered.IndexOf(included, StringComparison.Ordinal) + (offset - at);
        var lineStart = Rendered.LastIndexOf('\n', Math.Max(0, inRendered - 1)) + 1;
        if (inRendered == 0) lineStart = 0;
        var line = 1 + Rendered.AsSpan(0, lineStart).Count('\n');
        var (templateLine, column) = new TemplateLineMap(Template, Rendered).Map(line, inRendered - lineStart + 1);
        return new SourceSpan(File, templateLine, column);
    }
}
