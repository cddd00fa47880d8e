namespace Lacrei.Engine.Diagnostics;

/// <summary>A place in a file, 1-based line and column, as users and editors count them.</summary>
public sealed record SourceSpan(string File, int Line, int Column, int Length = 1)
{
    public override string ToString() => $"{File}({Line},{Column})";
}
