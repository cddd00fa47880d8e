namespace Lacrei.Engine.Docs;

/// <summary>
/// The site's static files (style, script, the vendored dagre layout library and its licence),
/// embedded in the engine's assembly (engine.csproj, <c>docs/…</c>) so that a single engine
/// binary writes a complete site with no internet and no node_modules.
/// </summary>
public static class DocsAssets
{
    private const string Prefix = "docs/";

    /// <summary>Every embedded asset, as its path under the site's <c>assets/</c> folder.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(DocsAssets).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(name => name[Prefix.Length..].Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    public static string Text(string path)
    {
        using var reader = new StreamReader(Open(path));
        return reader.ReadToEnd();
    }

    /// <summary>The asset's bytes as embedded, so vendored files are written unchanged.</summary>
    public static Stream Open(string path) =>
        typeof(DocsAssets).Assembly.GetManifestResourceStream(Prefix + path)
        ?? typeof(DocsAssets).Assembly.GetManifestResourceStream(Prefix + path.Replace('/', '\\'))
        ?? throw new InvalidOperationException($"the engine was built without its docs asset '{path}'");
}
