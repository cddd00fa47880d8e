namespace Lacrei.Engine.Diagnostics;

/// <summary>One problem found in the user's input: where, what, and how to fix it.</summary>
public sealed record Diagnostic(ErrorKind Kind, SourceSpan? Span, string Message, string? Hint = null)
{
    /// <summary>Where the rule is explained, e.g. "docs/reference.md#step-depends_on".</summary>
    public string? See { get; init; }
}

/// <summary>
/// Raised before execution for problems in the user's input; carries every problem found, so a
/// user fixes them all in one edit. Caught once in Program.cs and mapped to an exit code.
/// </summary>
public sealed class PipelineException : Exception
{
    public PipelineException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.Message)))
    {
        if (diagnostics.Count == 0) throw new ArgumentException("at least one diagnostic", nameof(diagnostics));
        Diagnostics = diagnostics;
    }

    public PipelineException(ErrorKind kind, SourceSpan? span, string message, string? hint = null)
        : this([new Diagnostic(kind, span, message, hint)]) { }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public ErrorKind Kind => Diagnostics[0].Kind;
}
