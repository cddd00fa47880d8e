using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// Links from the loader's errors to docs/reference.md: every key the loader accepts has an
/// anchor there (a unit test holds the document to the key lists below), and an error about a
/// place in pipeline.yaml names the anchor of the key it is under.
/// </summary>
public static partial class PipelineLoader
{
    public const string ReferenceDoc = "docs/reference.md";

    /// <summary>The anchors of the sections, where an unknown key or a whole entry is explained.</summary>
    private static readonly string[] SectionAnchors = ["top-level", "sources", "targets", "layers", "steps", "materializations", "extract", "tests"];

    /// <summary>Every anchor docs/reference.md must have: one per key the loader accepts, materialization and test kind.</summary>
    public static IReadOnlyCollection<string> ReferenceAnchors() =>
    [
        .. SectionAnchors,
        .. TopKeys,
        .. SourceKeys.Select(k => "source-" + k),
        .. TargetKeys.Select(k => "target-" + k),
        .. LayerKeys.Select(k => "layer-" + k),
        .. StepKeys.Select(k => "step-" + k),
        .. MaterializationNames.Select(m => "materialize-" + m),
        .. ExtractKeys.Select(k => "extract-" + k),
        .. DataTestLoader.Kinds.Select(k => "tests-" + k),
        .. DataTestLoader.OptionNames.Select(o => "tests-" + o),
        .. new[] { "timezone", MinCellSize.Var }.Select(v => "vars-" + v),
    ];

    /// <summary>"see docs/reference.md#…" for a problem at <paramref name="span"/> of the document <paramref name="root"/>.</summary>
    internal static Diagnostic WithReference(Diagnostic diagnostic, YamlNode root)
    {
        if (diagnostic.See is not null || diagnostic.Span is not { } span) return diagnostic;
        var keys = new List<string>();
        KeysAt(root, (span.Line, span.Column), span.Length, keys);
        return diagnostic with { See = $"{ReferenceDoc}#{AnchorOf(keys)}" };
    }

    /// <summary>
    /// The mapping keys from the root down to the node at a place (the key itself when the place is
    /// a key). Entries are in document order, so the one holding a place is the last that starts
    /// at or before it (YamlDotNet's end marks of block collections are not reliable). A block
    /// mapping starts where its first key does: a span as long as that key's name is the key.
    /// </summary>
    private static void KeysAt(YamlNode node, (int Line, int Column) at, int length, List<string> keys)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var entry = mapping.Children.LastOrDefault(c => Position(c.Key.Start).CompareTo(at) <= 0);
                if (entry.Key is null) return;
                var name = (entry.Key as YamlScalarNode)?.Value ?? "";
                if (Position(entry.Key.Start) == at && Math.Max(1, name.Length) != length) return; // the mapping itself
                keys.Add(name);
                if (Position(entry.Key.Start) != at && Position(entry.Value.Start).CompareTo(at) <= 0) KeysAt(entry.Value, at, length, keys);
                return;
            case YamlSequenceNode sequence:
                if (sequence.Children.LastOrDefault(item => Position(item.Start).CompareTo(at) <= 0) is { } item) KeysAt(item, at, length, keys);
                return;
        }
    }

    private static (int, int) Position(YamlDotNet.Core.Mark mark) => ((int)mark.Line, (int)mark.Column);

    /// <summary>The anchor of a key path; a key the loader does not know falls back to its section's anchor.</summary>
    private static string AnchorOf(List<string> keys)
    {
        var known = ReferenceAnchors().ToHashSet(StringComparer.Ordinal);
        string Known(string anchor, string section) => known.Contains(anchor) ? anchor : section;
        string At(int i) => i < keys.Count ? keys[i] : "";
        return At(0) switch
        {
            "" => "top-level",
            "sources" => keys.Count >= 3 ? Known("source-" + At(2), "sources") : "sources",
            "targets" => keys.Count >= 3 ? Known("target-" + At(2), "targets") : "targets",
            "vars" => keys.Count >= 2 ? Known("vars-" + At(1), "vars") : "vars",
            "layers" when keys.Count == 1 => "layers",
            "layers" when At(1) != "steps" => Known("layer-" + At(1), "layers"),
            "layers" => At(2) switch
            {
                "" => "steps",
                "extract" when keys.Count >= 4 => Known("extract-" + At(3), "extract"),
                "tests" when keys.Count >= 5 => Known("tests-" + At(4), "tests"),
                "tests" when keys.Count == 4 => Known("tests-" + At(3), "tests"),
                "tests" => "tests",
                var key => Known("step-" + key, "steps"),
            },
            var top => Known(top, "top-level"),
        };
    }
}
