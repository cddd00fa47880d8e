using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// What a YAML document the engine reads may hold. Nesting: at most <see cref="MostDepth"/> levels.
/// Aliases (<c>*a</c>) share their anchor's node, and reading the document visits a shared
/// node once per alias: nine lists of nine aliases each stand for 9^9 items, and reading them never
/// ended (a "billion laughs"). A document whose nodes, with every alias counted as what it stands
/// for, number more than <see cref="MostNodes"/> is refused at the smallest node that is too large.
/// </summary>
public static class YamlLimits
{
    public const long MostNodes = 1_000_000;

    /// <summary>
    /// How deep collections may nest: readers of the document recurse once a level, and tens of
    /// thousands of levels ('[[[[…') overflowed the stack, which ends the process without a message.
    /// </summary>
    public const int MostDepth = 100;

    public static void Check(YamlNode root, string display, string what)
    {
        CheckDepth(root, display, what);
        var sizes = new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance);
        if (Size(root, sizes) <= MostNodes) return;
        var node = root;
        while (Children(node).FirstOrDefault(child => sizes[child] > MostNodes) is { } larger) node = larger;
        throw new PipelineException(ErrorKind.Config, new SourceSpan(display, (int)node.Start.Line, (int)node.Start.Column),
            $"{what}: its aliases stand for more than {MostNodes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} values here",
            "write the values out, or use fewer levels of aliases (*name) within aliases");
    }

    /// <summary>Without recursion, so that the check itself cannot overflow: the first node deeper than <see cref="MostDepth"/> is refused.</summary>
    private static void CheckDepth(YamlNode root, string display, string what)
    {
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(YamlNode Node, int Depth)>([(root, 0)]);
        while (pending.TryPop(out var item))
        {
            if (item.Depth > MostDepth)
                throw new PipelineException(ErrorKind.Config, new SourceSpan(display, (int)item.Node.Start.Line, (int)item.Node.Start.Column),
                    $"{what}: lists and mappings nest more than {MostDepth} levels deep here", "nest fewer levels");
            // A shared node (an alias) is as deep as where it is first met, or deeper: seen once is enough for the limit.
            if (!seen.Add(item.Node)) continue;
            foreach (var child in Children(item.Node)) pending.Push((child, item.Depth + 1));
        }
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
