namespace Lacrei.Engine.Diagnostics;

/// <summary>Collects problems while loading, so all of them are reported at once.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public bool HasErrors => _items.Count > 0;

    public void Add(SourceSpan? span, string message, string? hint = null, ErrorKind kind = ErrorKind.Config) =>
        _items.Add(new Diagnostic(kind, span, message, hint));

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public void ThrowIfAny(Func<Diagnostic, Diagnostic>? annotate = null)
    {
        if (_items.Count > 0) throw new PipelineException(_items.Select(annotate ?? (d => d)).ToList());
    }
}
