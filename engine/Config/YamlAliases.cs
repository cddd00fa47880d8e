using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// YAML aliases (<c>*a</c>) share their anchor's node, and reading the document visits a shared
/// node once per alias: nine lists of nine aliases each stand for 9^9 items, and reading them never
/// ended (a "billion laughs"). A document whose nodes, with every alias counted as what it stands
/// for, number more than <see cref="MostNodes"/> is refused at the smallest node that is too large.
/// </summary>
public static class YamlAliases
{
    public const long MostNodes = 1_000_000;

    public static void Check(YamlNode root, string display, string what)
    {
        var sizes = new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance);
        if (Size(root, sizes) <= MostNodes) return;
        var node = root;
        while (Children(node).FirstOrDefault(child => sizes[child] > MostNodes) is { } larger) node = larger;
        throw new PipelineException(ErrorKind.Config, new SourceSpan(display, (int)node.Start.Line, (int)node.Start.Column),
            $"{what}: its aliases stand for more than {MostNodes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} values here",
            "write the values out, or use fewer levels of aliases (*name) within aliases");
    }

    /// <summary>The node's size with its aliases expanded, each shared node computed once; capped just above the limit.</summary>
    private static long Size(YamlNode node, Dictionary<YamlNode, long> sizes)
    {
        if (sizes.TryGetValue(node, out var known)) return known;
        sizes[node] = MostNodes + 1; // a node that contains itself is too large
        long size = 1;
        foreach (var child in Children(node)) size = Math.Min(MostNodes + 1, size + Size(child, sizes));
        return sizes[node] = size;
    }

    private static IEnumerable<YamlNode> Children(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(entry => new[] { entry.Key, entry.Value }),
        YamlSequenceNode sequence => sequence.Children,
        _ => [],
    };
}
