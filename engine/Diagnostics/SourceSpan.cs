namespace Lacrei.Engine.Diagnostics;

/// <summary>A place in a file, 1-based line and column, as users and editors count them.</summary>
public sealed record SourceSpan(string File, int Line, int Column, int Length = 1)
{
    /// <summary>The 1-based line and column of a character offset of <paramref name="text"/>.</summary>
    public static SourceSpan At(string text, int offset, string file)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        return new SourceSpan(file, 1 + text.AsSpan(0, lineStart).Count('\n'), offset - lineStart + 1);
    }

    public override string ToString() => $"{File}({Line},{Column})";
}

/// <summary>How a file is named in messages: relative to the current folder when inside it, else in full.</summary>
public static class DisplayPath
{
    public static string Of(string fullPath)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative;
    }
}
