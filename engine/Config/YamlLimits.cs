using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// What a YAML document the engine reads may hold. Nesting: at most <see cref="MostDepth"/> levels,
/// counted through aliases.
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

    /// <summary>
    /// The deepest path, aliases followed (an alias within an anchor within an alias adds up their
    /// levels), computed without recursion so that the check itself cannot overflow: each node's
    /// height once, children first. The node on that path one level past the limit is refused.
    /// </summary>
    private static void CheckDepth(YamlNode root, string display, string what)
    {
        var heights = new Dictionary<YamlNode, int>(ReferenceEqualityComparer.Instance);
        var started = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(YamlNode Node, bool ChildrenDone)>([(root, false)]);
        // A child still being measured contains its parent (an alias to itself): too deep.
        int HeightOf(YamlNode child) => heights.GetValueOrDefault(child, MostDepth + 1);
        while (pending.TryPop(out var item))
        {
            if (item.ChildrenDone)
            {
                heights[item.Node] = Children(item.Node).Select(child => Math.Min(MostDepth + 1, HeightOf(child) + 1)).DefaultIfEmpty(0).Max();
                continue;
            }
            if (!started.Add(item.Node)) continue;
            pending.Push((item.Node, true));
            foreach (var child in Children(item.Node).Where(child => !started.Contains(child))) pending.Push((child, false));
        }
        if (heights[root] <= MostDepth) return;
        var node = root;
        for (var depth = 0; depth <= MostDepth; depth++) node = Children(node).MaxBy(HeightOf)!;
        throw new PipelineException(ErrorKind.Config, new SourceSpan(display, (int)node.Start.Line, (int)node.Start.Column),
            $"{what}: lists and mappings nest more than {MostDepth} levels deep here", "nest fewer levels");
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
