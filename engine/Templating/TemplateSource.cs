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
        var start = sent.IndexOf(included, StringComparison.Ordinal);
        if (start < 0 || offset < start || offset > start + included.Length) return null;
        var inRendered = Rendered.IndexOf(included, StringComparison.Ordinal) + (offset - start);
        var at = SourceSpan.At(Rendered, inRendered, File);
        var (templateLine, column) = new TemplateLineMap(Template, Rendered).Map(at.Line, at.Column);
        return new SourceSpan(File, templateLine, column);
    }
}
