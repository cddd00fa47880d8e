using System.Text;
using System.Text.RegularExpressions;

namespace Lacrei.Engine.Cli;

/// <summary>
/// The starter pipeline of <c>engine init</c> (engine/Cli/Scaffold, embedded in the engine so a
/// published binary has it): its files, with the pipeline's and its schemas' name taken from the folder.
/// </summary>
internal static partial class Scaffold
{
    private const string Prefix = "scaffold/";
    private const string Placeholder = "my_pipeline";

    /// <summary>The files to write, relative path → text.</summary>
    public static IReadOnlyList<(string Path, string Text)> Files(string name)
    {
        var assembly = typeof(Scaffold).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(resource =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!, Encoding.UTF8);
                var path = resource[Prefix.Length..].Replace('\\', '/');
                // Stored without its dot so that no tool treats the scaffold's own file as the engine's.
                if (path == "gitignore") path = ".gitignore";
                return (path, reader.ReadToEnd().Replace(Placeholder, name, StringComparison.Ordinal));
            })
            .ToList();
    }

    /// <summary>
    /// A SQL name from the folder's: lower case, anything but letters, digits and '_' as '_', short
    /// enough that its schemas (name_staging, …) and a CI suffix stay under PostgreSQL's 63 bytes.
    /// </summary>
    public static string NameFor(string folder)
    {
        var name = NotAName().Replace(folder.ToLowerInvariant(), "_").Trim('_');
        if (name.Length > 30) name = name[..30].TrimEnd('_');
        return name.Length == 0 || char.IsDigit(name[0]) ? "p_" + name : name;
    }

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex NotAName();
}
