using System.Text;
using System.Text.RegularExpressions;

namespace Lacrei.Engine.Tests.Structure;

/// <summary>
/// Which top-level folder of <c>engine/</c> uses which, read from the sources: a file uses a type
/// of another folder when it names one of that folder's types through a <c>using</c> of its
/// namespace or a qualified name (folders and namespaces are the same here).
/// </summary>
internal static partial class FolderDependencies
{
    /// <summary>Lowest first: a folder may use only folders of a lower rank (STYLE.md: data flows one way).</summary>
    public static readonly IReadOnlyList<string[]> Layers =
    [
        ["Diagnostics"],
        ["Config"],
        ["Database"],
        ["Meta"],
        ["Sql"],
        ["Templating"],
        ["Graph"],
        ["Quality", "Extraction", "State"],
        ["Migrations"],
        ["Execution"],
        ["Demo", "Docs"],
        ["Server"],
        ["Cli"],
        ["Program.cs"],
    ];

    public static int RankOf(string folder) =>
        Layers.Select((names, rank) => (names, rank)).FirstOrDefault(l => l.names.Contains(folder)) is { names: not null } found
            ? found.rank
            : throw new InvalidOperationException($"engine/{folder} is not in FolderDependencies.Layers: give it its place");

    /// <summary>Folder → (used folder → one file and type that shows it).</summary>
    public static SortedDictionary<string, SortedDictionary<string, string>> Read(string engineDir)
    {
        var files = Directory.EnumerateFiles(engineDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (Folder: FolderOf(engineDir, f), Path: f, Code: StripCommentsAndStrings(File.ReadAllText(f))))
            .ToList();
        var typesByFolder = files.GroupBy(f => f.Folder)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => TypeDeclaration().Matches(f.Code).Select(m => m.Groups[1].Value)).ToHashSet());

        var edges = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!edges.ContainsKey(file.Folder)) edges[file.Folder] = new(StringComparer.Ordinal);
            var imported = UsingDirective().Matches(file.Code).Select(m => m.Groups[1].Value).ToHashSet();
            var identifiers = Identifier().Matches(file.Code).Select(m => m.Value).ToHashSet();
            foreach (var (folder, types) in typesByFolder)
            {
                if (folder == file.Folder || folder == "Program.cs") continue;
                var namespaceName = folder;
                var used = imported.Contains(namespaceName)
                    ? types.FirstOrDefault(identifiers.Contains)
                    : types.FirstOrDefault(t => Regex.IsMatch(file.Code, $@"\b{namespaceName}\.{t}\b"));
                if (used is not null && !edges[file.Folder].ContainsKey(folder))
                    edges[file.Folder][folder] = $"{Path.GetRelativePath(engineDir, file.Path)} uses {used}";
            }
        }
        return edges;
    }

    /// <summary>Every edge that goes up or sideways in <see cref="Layers"/>.</summary>
    public static IEnumerable<string> Violations(SortedDictionary<string, SortedDictionary<string, string>> edges) =>
        from user in edges
        from used in user.Value
        where RankOf(used.Key) >= RankOf(user.Key)
        select $"{user.Key} → {used.Key} ({used.Value})";

    public static string Listing(SortedDictionary<string, SortedDictionary<string, string>> edges)
    {
        var text = new StringBuilder();
        foreach (var folder in edges.Keys.OrderBy(RankOf).ThenBy(f => f, StringComparer.Ordinal))
            text.Append($"{folder,-12} → {(edges[folder].Count == 0 ? "(nothing)" : string.Join(", ", edges[folder].Keys.OrderBy(RankOf).ThenBy(f => f, StringComparer.Ordinal)))}\n");
        return text.ToString();
    }

    private static string FolderOf(string engineDir, string file)
    {
        var relative = Path.GetRelativePath(engineDir, file);
        var separator = relative.IndexOf(Path.DirectorySeparatorChar);
        return separator < 0 ? relative : relative[..separator];
    }

    /// <summary>Comments and string contents would make words of prose look like type names.</summary>
    private static string StripCommentsAndStrings(string code) => CommentOrString().Replace(code, m =>
        m.Value.StartsWith('/') ? " " : "\"\"");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|\$?"""""".*?""""""|\$?""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?:struct\s+|class\s+)?([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?Lacrei\.Engine\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
