namespace Lacrei.Engine.Diagnostics;

/// <summary>A place in a file, 1-based line and column, as users and editors count them.</summary>
public sealed record SourceSpan(string File, int Line, int Column, int Length = 1)
{
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
