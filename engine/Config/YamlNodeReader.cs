using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// Typed access to a YAML mapping that reports, instead of throwing, every unknown key (with a
/// "did you mean"), wrong type and missing key at its line and column.
/// </summary>
internal sealed class YamlNodeReader
{
    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;

    public YamlNodeReader(string file, DiagnosticBag diagnostics) => (_file, _diagnostics) = (file, diagnostics);

    public SourceSpan SpanOf(YamlNode node)
    {
        var length = node is YamlScalarNode scalar ? Math.Max(1, scalar.Value?.Length ?? 1) : 1;
        return new SourceSpan(_file, (int)node.Start.Line, (int)node.Start.Column, length);
    }

    public void Error(YamlNode node, string message, string? hint = null) => _diagnostics.Add(SpanOf(node), message, hint);

    public void ErrorAt(SourceSpan span, string message, string? hint = null) => _diagnostics.Add(span, message, hint);

    /// <summary>The node as a mapping whose keys are all in <paramref name="allowed"/>; null if it is not a mapping.</summary>
    public YamlMappingNode? Mapping(YamlNode node, string what, IReadOnlyCollection<string> allowed)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what} must be a mapping (key: value lines), found {Describe(node)}");
            return null;
        }
        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
                Error(key, $"unknown key '{name}' in {what}", Suggest.Hint(name, allowed, "keys"));
        }
        return mapping;
    }

    public static YamlNode? Get(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? String(YamlMappingNode mapping, string key, string what, bool required = false)
    {
        var node = Get(mapping, key);
        if (node is null)
        {
            if (required) Error(mapping, $"{what} needs '{key}'");
            return null;
        }
        if (node is YamlScalarNode { Value: { } value } && !IsNull(node)) return value;
        Error(node, $"'{key}' in {what} must be a text value, found {Describe(node)}");
        return null;
    }

    public bool? Bool(YamlMappingNode mapping, string key, string what)
    {
        var text = String(mapping, key, what);
        if (text is null) return null;
        if (bool.TryParse(text, out var value)) return value;
        Error(Get(mapping, key)!, $"'{key}' in {what} must be true or false, found '{text}'");
        return null;
    }

    /// <summary>A duration such as <c>2s</c> or <c>5min</c> (<see cref="Config.Duration"/>); null when absent or wrong.</summary>
    public TimeSpan? Duration(YamlMappingNode mapping, string key, string what)
    {
        var text = String(mapping, key, what);
        if (text is null) return null;
        if (Config.Duration.TryParse(text, out var value)) return value;
        Error(Get(mapping, key)!, $"'{key}' in {what} must be a duration, found '{text}'", Config.Duration.Rule);
        return null;
    }

    /// <summary>A list of text values; a single scalar is accepted as a one-item list.</summary>
    public ImmutableArray<(string Value, SourceSpan Span)> StringList(YamlMappingNode mapping, string key, string what)
    {
        var node = Get(mapping, key);
        if (node is null || IsNull(node)) return [];
        if (node is YamlScalarNode { Value: { } single }) return [(single, SpanOf(node))];
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{key}' in {what} must be a list, found {Describe(node)}");
            return [];
        }
        var items = ImmutableArray.CreateBuilder<(string, SourceSpan)>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { } value } && !IsNull(item)) items.Add((value, SpanOf(item)));
            else Error(item, $"items of '{key}' in {what} must be text values, found {Describe(item)}");
        }
        return items.ToImmutable();
    }

    /// <summary>A list whose items are a text value or a list of text values (e.g. index columns).</summary>
    public ImmutableArray<ImmutableArray<(string Value, SourceSpan Span)>> ListOfLists(YamlMappingNode mapping, string key, string what)
    {
        var node = Get(mapping, key);
        if (node is null || IsNull(node)) return [];
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{key}' in {what} must be a list, e.g. [[user_id], [professional_id, created_at]]");
            return [];
        }
        var lists = ImmutableArray.CreateBuilder<ImmutableArray<(string, SourceSpan)>>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { } single } && !IsNull(item)) { lists.Add([(single, SpanOf(item))]); continue; }
            if (item is YamlSequenceNode inner && inner.Children.All(c => c is YamlScalarNode { Value: not null } && !IsNull(c)))
            {
                lists.Add(inner.Children.Select(c => (((YamlScalarNode)c).Value!, SpanOf(c))).ToImmutableArray());
                continue;
            }
            Error(item, $"items of '{key}' in {what} must be a column or a list of columns, found {Describe(item)}");
        }
        return lists.ToImmutable();
    }

    /// <summary>A mapping of text to text (vars, schemas, column descriptions).</summary>
    public ImmutableDictionary<string, string> StringMap(YamlMappingNode mapping, string key, string what)
    {
        var node = Get(mapping, key);
        if (node is null || IsNull(node)) return ImmutableDictionary<string, string>.Empty;
        if (node is not YamlMappingNode map)
        {
            Error(node, $"'{key}' in {what} must be a mapping, found {Describe(node)}");
            return ImmutableDictionary<string, string>.Empty;
        }
        var result = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            if (v is YamlScalarNode { Value: { } value } && !IsNull(v)) result[name] = value;
            else Error(v, $"'{key}.{name}' must be a text value, found {Describe(v)}");
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// <c>vars:</c>: text values (the first map) and lists or mappings of them (the second,
    /// <see cref="VarValue"/>). A var with no value is an error at its place.
    /// </summary>
    public (ImmutableDictionary<string, string> Text, ImmutableDictionary<string, VarValue> Structured) Vars(YamlMappingNode mapping, string key, string what)
    {
        var text = ImmutableDictionary.CreateBuilder<string, string>();
        var structured = ImmutableDictionary.CreateBuilder<string, VarValue>();
        var node = Get(mapping, key);
        if (node is null || IsNull(node)) return (text.ToImmutable(), structured.ToImmutable());
        if (node is not YamlMappingNode map)
        {
            Error(node, $"'{key}' in {what} must be a mapping, found {Describe(node)}");
            return (text.ToImmutable(), structured.ToImmutable());
        }
        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            switch (VarValueOf(v, $"{key}.{name}"))
            {
                case TextVar value: text[name] = value.Value; break;
                case { } value: structured[name] = value; break;
            }
        }
        return (text.ToImmutable(), structured.ToImmutable());
    }

    private VarValue? VarValueOf(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } value } when !IsNull(node):
                return new TextVar(value);
            case YamlSequenceNode list:
                var items = list.Children.Select((item, i) => VarValueOf(item, $"{path}[{i}]")).ToList();
                return items.Any(i => i is null) ? null : new ListVar([.. items.OfType<VarValue>()]);
            case YamlMappingNode map:
                var members = ImmutableSortedDictionary.CreateBuilder<string, VarValue>(StringComparer.Ordinal);
                var complete = true;
                foreach (var (k, v) in map.Children)
                {
                    var name = (k as YamlScalarNode)?.Value ?? "";
                    if (!Identifier.IsValid(name))
                    {
                        Error(k, $"'{path}': member name '{name}' is not a name templates can read", "use letters, digits and _ (vars.thresholds.min_rows)");
                        complete = false;
                    }
                    else if (VarValueOf(v, $"{path}.{name}") is { } value) members[name] = value;
                    else complete = false;
                }
                return complete ? new MapVar(members.ToImmutable()) : null;
            default:
                Error(node, $"'{path}' must be a text value, a list or a mapping, found {Describe(node)}");
                return null;
        }
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "" or "~" or "null" or "Null" or "NULL" };

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "something else",
    };
}
