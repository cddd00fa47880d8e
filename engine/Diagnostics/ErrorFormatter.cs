using System.Text;

namespace Lacrei.Engine.Diagnostics;

/// <summary>
/// Formats a diagnostic the way every error looks (STYLE.md): <c>file(line,col): error: …</c>,
/// the offending line with a caret under the span, and the hint.
/// </summary>
public static class ErrorFormatter
{
    public static string Format(Diagnostic diagnostic, Func<string, string[]?>? readLines = null) =>
        Format(diagnostic.Span, diagnostic.Message, diagnostic.Hint, readLines, see: diagnostic.See);

    /// <summary>An error that is no <see cref="Diagnostic"/> (a failed step is a result, not a problem in the input) in the same shape.</summary>
    /// <param name="also">A second place (the rendered file beside the template), printed under the snippet.</param>
    /// <param name="see">Where the rule is explained (a document of the repository and its anchor), printed last.</param>
    /// <param name="level"><c>error</c>, or <c>warning</c> for a problem that does not stop the command.</param>
    public static string Format(SourceSpan? at, string message, string? hint, Func<string, string[]?>? readLines = null, SourceSpan? also = null,
        string? see = null, string level = "error")
    {
        readLines ??= TryReadLines;
        var text = new StringBuilder();
        text.Append(at is null ? $"{level}: " : $"{at}: {level}: ");
        text.Append(message);
        if (at is { } span && readLines(span.File) is { } lines && span.Line >= 1 && span.Line <= lines.Length)
        {
            var line = lines[span.Line - 1].Replace('\t', ' ');
            var gutter = span.Line.ToString().Length;
            text.AppendLine();
            text.Append($" {span.Line} | {line}");
            var column = Math.Clamp(span.Column, 1, line.Length + 1);
            var width = Math.Clamp(span.Length, 1, Math.Max(1, line.Length - column + 1));
            text.AppendLine();
            text.Append($" {new string(' ', gutter)} | {new string(' ', column - 1)}{new string('^', width)}");
        }
        if (also is not null)
        {
            text.AppendLine();
            text.Append($"  rendered: {also}");
        }
        if (hint is not null)
        {
            text.AppendLine();
            text.Append($"  hint: {hint}");
        }
        if (see is not null)
        {
            text.AppendLine();
            text.Append($"  see: {see}");
        }
        return text.ToString();
    }

    public static string Format(PipelineException exception) =>
        string.Join(Environment.NewLine, exception.Diagnostics.Select(d => Format(d)));

    private static string[]? TryReadLines(string file)
    {
        try { return File.Exists(file) ? File.ReadAllLines(file) : null; }
        catch (IOException) { return null; }
    }
}
