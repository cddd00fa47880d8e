using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// Reads a step's <c>tests:</c> list. Each item names one kind with its options:
/// <c>- unique: [a, b]</c>, <c>- accepted_values: { column: status, values: [x, y], severity: warn }</c>.
/// </summary>
internal static class DataTestLoader
{
    public static readonly string[] Kinds =
        ["unique", "not_null", "accepted_values", "relationships", "row_count", "min_cell_size", "expression", "sql"];

    private static readonly string[] Common = ["severity", "where", "name", "store_failures"];

    private static readonly Dictionary<string, string[]> Options = new()
    {
        ["unique"] = ["columns"],
        ["not_null"] = ["columns"],
        ["accepted_values"] = ["column", "values"],
        ["relationships"] = ["column", "to", "field"],
        ["row_count"] = ["min", "max"],
        ["min_cell_size"] = ["column", "threshold"],
        ["expression"] = ["expression"],
        ["sql"] = ["query", "file"],
    };

    /// <summary>Every option any kind takes (docs/reference.md has an anchor for each).</summary>
    public static IEnumerable<string> OptionNames => Options.Values.SelectMany(o => o).Concat(Common).Distinct();

    public static ImmutableArray<DataTestConfig> Read(YamlMappingNode step, YamlNodeReader reader, string sqlRoot, StepId id)
    {
        var node = YamlNodeReader.Get(step, "tests");
        if (node is null || YamlNodeReader.IsNull(node)) return [];
        if (node is not YamlSequenceNode list)
        {
            reader.Error(node, $"'tests' of step '{id}' must be a list, found {YamlNodeReader.Describe(node)}");
            return [];
        }
        var tests = ImmutableArray.CreateBuilder<DataTestConfig>();
        foreach (var item in list.Children)
            if (ReadOne(item, reader, sqlRoot, id) is { } test) tests.Add(test);
        var duplicates = tests.GroupBy(t => t.Name).Where(g => g.Count() > 1);
        foreach (var duplicate in duplicates)
            reader.Error(list, $"step '{id}' declares test '{duplicate.Key}' twice", "give one of them a 'name:'");
        return tests.ToImmutable();
    }

    private static DataTestConfig? ReadOne(YamlNode item, YamlNodeReader reader, string sqlRoot, StepId id)
    {
        if (reader.Mapping(item, $"a test of step '{id}'", Kinds) is not { Children.Count: 1 } map)
        {
            if (item is YamlMappingNode { Children.Count: not 1 })
                reader.Error(item, $"a test of step '{id}' names exactly one kind", $"known kinds: {string.Join(", ", Kinds)}");
            return null;
        }
        var (keyNode, value) = map.Children.First();
        var kind = ((YamlScalarNode)keyNode).Value!;
        if (!Kinds.Contains(kind)) return null;
        var what = $"test '{kind}' of step '{id}'";
        var span = reader.SpanOf(keyNode);

        // Shorthand: `unique: [a, b]` or `not_null: a` lists the columns directly.
        YamlMappingNode options;
        if (value is YamlMappingNode mapping) options = reader.Mapping(mapping, what, [.. Options[kind], .. Common])!;
        else if (kind is "unique" or "not_null" && value is YamlSequenceNode or YamlScalarNode)
            options = new YamlMappingNode(new YamlScalarNode("columns"), value);
        else
        {
            reader.Error(value, $"{what} needs its options as a mapping", $"for example: {kind}: {{ {string.Join(", ", Options[kind].Select(o => o + ": …"))} }}");
            return null;
        }

        var columns = reader.StringList(options, "columns", what).Select(c => c.Value)
            .Concat(reader.String(options, "column", what) is { } single ? [single] : []).ToImmutableArray();
        foreach (var column in columns.Where(c => !Identifier.IsValid(c)))
            reader.Error(value, $"{what}: column '{column}' is not a valid SQL name", Identifier.Rule);
        Require(kind is "unique" or "not_null" or "accepted_values" or "relationships" or "min_cell_size", columns.Length > 0, "column", options, reader, what);

        var severityText = reader.String(options, "severity", what) ?? "error";
        if (severityText is not ("error" or "warn"))
            reader.Error(YamlNodeReader.Get(options, "severity")!, $"{what}: severity must be 'error' or 'warn', found '{severityText}'",
                Suggest.Hint(severityText, ["error", "warn"], "severities"));

        var to = reader.String(options, "to", what);
        var field = reader.String(options, "field", what);
        if (field is not null && !Identifier.IsValid(field)) reader.Error(YamlNodeReader.Get(options, "field")!, $"{what}: field '{field}' is not a valid SQL name", Identifier.Rule);
        Require(kind == "relationships", to is not null, "to", options, reader, what);

        var values = reader.StringList(options, "values", what).Select(v => v.Value).ToImmutableArray();
        Require(kind == "accepted_values", !values.IsEmpty, "values", options, reader, what);
        var expression = reader.String(options, "expression", what);
        Require(kind == "expression", expression is not null, "expression", options, reader, what);
        var (query, file) = (reader.String(options, "query", what), reader.String(options, "file", what));
        Require(kind == "sql", query is not null || file is not null, "query' or 'file", options, reader, what);
        string? queryPath = null;
        if (file is not null)
        {
            queryPath = Path.GetFullPath(Path.Combine(sqlRoot, file));
            if (!File.Exists(queryPath)) reader.Error(YamlNodeReader.Get(options, "file")!, $"{what}: SQL file not found: {file}");
        }
        var min = Number(options, kind == "min_cell_size" ? "threshold" : "min", what, reader);
        var max = Number(options, "max", what, reader);
        Require(kind == "row_count", min is not null || max is not null, "min' or 'max", options, reader, what);

        var name = reader.String(options, "name", what) ?? DefaultName(kind, columns, to, min, max);
        return new DataTestConfig(kind, name, severityText == "warn" ? Severity.Warn : Severity.Error, reader.String(options, "where", what),
            columns, values, to is null ? null : new StepReference(to, reader.SpanOf(YamlNodeReader.Get(options, "to")!)), field,
            min, max, expression, query, queryPath, span) { StoreFailures = reader.Bool(options, "store_failures", what) ?? false };
    }

    private static void Require(bool applies, bool present, string key, YamlMappingNode options, YamlNodeReader reader, string what)
    {
        if (applies && !present) reader.Error(options, $"{what} needs '{key}'");
    }

    private static long? Number(YamlMappingNode options, string key, string what, YamlNodeReader reader)
    {
        var text = reader.String(options, key, what);
        if (text is null) return null;
        if (long.TryParse(text, out var value) && value >= 0) return value;
        reader.Error(YamlNodeReader.Get(options, key)!, $"{what}: '{key}' must be a whole number ≥ 0, found '{text}'");
        return null;
    }

    private static string DefaultName(string kind, ImmutableArray<string> columns, string? to, long? min, long? max) => kind switch
    {
        "relationships" => $"relationships({string.Join(", ", columns)} → {to})",
        "row_count" => $"row_count({min?.ToString() ?? ""}..{max?.ToString() ?? ""})",
        _ when columns.Length > 0 => $"{kind}({string.Join(", ", columns)})",
        _ => kind,
    };
}
