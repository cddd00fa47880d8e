using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Tests.Support;

public static class Expect
{
    /// <summary>Asserts every user-facing part of a diagnostic at once, so a failure shows all that differs.</summary>
    public static void Diagnostic(Diagnostic actual, string file, int line, int column, string message, string? hint = null) =>
        Assert.Equal((file, line, column, message, hint), (actual.Span?.File, actual.Span?.Line ?? 0, actual.Span?.Column ?? 0, actual.Message, actual.Hint));

    /// <summary>A diagnostic that belongs to no file (command-line problems).</summary>
    public static void Diagnostic(Diagnostic actual, ErrorKind kind, string message, string? hint) =>
        Assert.Equal((kind, (SourceSpan?)null, message, hint), (actual.Kind, actual.Span, actual.Message, actual.Hint));

    public static Diagnostic Single(IReadOnlyList<Diagnostic> diagnostics) =>
        Assert.Single(diagnostics);
}
