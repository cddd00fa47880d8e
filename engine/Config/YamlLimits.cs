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
        var measures = Measure(root);
        int HeightOf(YamlNode node) => measures.GetValueOrDefault(node, TooLarge).Height;
        if (HeightOf(root) > MostDepth)
        {
            // The node on the deepest path one level past the limit.
            var deep = root;
            for (var depth = 0; depth <= MostDepth; depth++) deep = Children(deep).MaxBy(HeightOf)!;
            throw new PipelineException(ErrorKind.Config, new SourceSpan(display, (int)deep.Start.Line, (int)deep.Start.Column),
                $"{what}: lists and mappings nest more than {MostDepth} levels deep here", "nest fewer levels");
        }
        if (measures[root].Size <= MostNodes) return;
        var node = root;
        while (Children(node).FirstOrDefault(child => measures[child].Size > MostNodes) is { } larger) node = larger;
        throw new PipelineException(ErrorKind.Config, new SourceSpan(display, (int)node.Start.Line, (int)node.Start.Column),
            $"{what}: its aliases stand for more than {MostNodes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} values here",
            "write the values out, or use fewer levels of aliases (*name) within aliases");
    }

    /// <summary>Above both limits: what a node that contains itself (an alias within its own anchor) measures.</summary>
    private static readonly (int Height, long Size) TooLarge = (MostDepth + 1, MostNodes + 1);

    /// <summary>
    /// Each node's height and size with aliases followed (an alias within an anchor within an alias
    /// adds up their levels and counts its values each time), capped just above the limits: each
    /// shared node measured once, children first, without recursion, so that the check itself cannot
    /// overflow the stack on the document it refuses.
    /// </summary>
    private static Dictionary<YamlNode, (int Height, long Size)> Measure(YamlNode root)
    {
        var measures = new Dictionary<YamlNode, (int Height, long Size)>(ReferenceEqualityComparer.Instance);
        var started = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(YamlNode Node, bool ChildrenDone)>([(root, false)]);
        while (pending.TryPop(out var item))
        {
            if (item.ChildrenDone)
            {
                // A child still being measured contains its parent: too large.
                var children = Children(item.Node).Select(child => measures.GetValueOrDefault(child, TooLarge)).ToList();
                measures[item.Node] = (children.Select(c => Math.Min(MostDepth + 1, c.Height + 1)).DefaultIfEmpty(0).Max(),
                    children.Aggregate(1L, (size, c) => Math.Min(MostNodes + 1, size + c.Size)));
                continue;
            }
            if (!started.Add(item.Node)) continue;
            pending.Push((item.Node, true));
            foreach (var child in Children(item.Node).Where(child => !started.Contains(child))) pending.Push((child, false));
        }
        return measures;
    }

    private static IEnumerable<YamlNode> Children(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(entry => new[] { entry.Key, entry.Value }),
        YamlSequenceNode sequence => sequence.Children,
        _ => [],
    };
}
