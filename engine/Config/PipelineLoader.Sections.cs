using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>pipeline.yaml's project-wide sections: schemas, seed types, sources and targets.</summary>
public static partial class PipelineLoader
{
    private static ImmutableDictionary<string, string> ReadSchemas(YamlMappingNode top, YamlNodeReader reader)
    {
        var schemas = reader.StringMap(top, "schemas", "pipeline.yaml");
        if (YamlNodeReader.Get(top, "schemas") is YamlMappingNode node)
        {
            foreach (var (key, value) in node.Children)
                if (value is YamlScalarNode { Value: { } name } && !Identifier.IsValid(name))
                    reader.Error(value, $"schema '{((YamlScalarNode)key).Value}' is not a valid SQL name: '{name}'", Identifier.Rule);
        }
        if (!schemas.ContainsKey(MetaSchemaKey)) schemas = schemas.Add(MetaSchemaKey, "pipeline_meta");
        return schemas;
    }

    private static ImmutableDictionary<string, ImmutableDictionary<string, string>> ReadSeedTypes(YamlMappingNode top, YamlNodeReader reader)
    {
        var result = ImmutableDictionary.CreateBuilder<string, ImmutableDictionary<string, string>>();
        if (YamlNodeReader.Get(top, "seed_types") is not YamlMappingNode seeds) return result.ToImmutable();
        foreach (var (key, value) in seeds.Children)
        {
            var seed = ((YamlScalarNode)key).Value ?? "";
            var columns = reader.StringMap(seeds, seed, "seed_types");
            foreach (var (column, type) in columns)
                if (!Identifier.IsValid(column) || !SqlType().IsMatch(type))
                    reader.Error(value, $"seed_types.{seed}.{column}: '{type}' is not a column type", "for example integer, numeric(12,2), date, boolean, text");
            result[seed] = columns;
        }
        return result.ToImmutable();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_ ]{0,40}(\(\d+(,\s*\d+)?\))?(\[\])?$")]
    private static partial System.Text.RegularExpressions.Regex SqlType();

    private static ImmutableDictionary<string, SourceConfig> ReadSources(YamlMappingNode top, YamlNodeReader reader)
    {
        var result = ImmutableDictionary.CreateBuilder<string, SourceConfig>();
        if (YamlNodeReader.Get(top, "sources") is not { } node || YamlNodeReader.IsNull(node)) return result.ToImmutable();
        if (node is not YamlMappingNode sources)
        {
            reader.Error(node, $"'sources' must be a mapping of source names, found {YamlNodeReader.Describe(node)}");
            return result.ToImmutable();
        }
        foreach (var (key, value) in sources.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            var what = $"source '{name}'";
            if (reader.Mapping(value, what, SourceKeys) is not { } map) continue;
            var schema = reader.String(map, "schema", what, required: true) ?? "";
            if (schema.Length > 0 && !Identifier.IsValid(schema))
                reader.Error(YamlNodeReader.Get(map, "schema")!, $"schema of {what} is not a valid SQL name: '{schema}'", Identifier.Rule);
            result[name] = new SourceConfig(name, reader.String(map, "connection", what), schema, reader.SpanOf(key));
        }
        return result.ToImmutable();
    }

    private static ImmutableDictionary<string, TargetConfig> ReadTargets(YamlMappingNode top, YamlNodeReader reader)
    {
        var result = ImmutableDictionary.CreateBuilder<string, TargetConfig>();
        if (YamlNodeReader.Get(top, "targets") is not YamlMappingNode targets) return result.ToImmutable();
        foreach (var (key, value) in targets.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            var what = $"target '{name}'";
            if (reader.Mapping(value, what, TargetKeys) is not { } map) continue;
            result[name] = new TargetConfig(name, reader.String(map, "schema_suffix", what),
                reader.StringMap(map, "schemas", what), reader.StringMap(map, "vars", what))
            {
                AllowSmallCells = reader.Bool(map, "allow_small_cells", what) ?? false,
                VarSpans = ValueSpans(map, "vars", reader),
            };
        }
        return result.ToImmutable();
    }

    /// <summary>
    /// <c>pseudonym_key: LACREI_PSEUDONYM_KEY</c>: the environment variable that holds the key of
    /// the <c>pseudonym</c> template function (SPEC §9.4). Only its name is written here: a key in a
    /// reviewed file would be no key.
    /// </summary>
    private static EnvVarReference? ReadPseudonymKey(YamlMappingNode top, YamlNodeReader reader)
    {
        if (reader.String(top, "pseudonym_key", "pipeline.yaml") is not { } name) return null;
        var node = YamlNodeReader.Get(top, "pseudonym_key")!;
        if (!EnvVarName().IsMatch(name))
            reader.Error(node, $"pseudonym_key: '{name}' is not the name of an environment variable",
                "write the variable's name, e.g. pseudonym_key: LACREI_PSEUDONYM_KEY, and put the key itself in that variable");
        return new EnvVarReference(name, reader.SpanOf(node));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z_][A-Z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex EnvVarName();

    /// <summary>The place of each value of a mapping of text values (vars), for errors about a value.</summary>
    private static ImmutableDictionary<string, SourceSpan> ValueSpans(YamlMappingNode parent, string key, YamlNodeReader reader) =>
        YamlNodeReader.Get(parent, key) is YamlMappingNode map
            ? map.Children.Where(c => c.Key is YamlScalarNode { Value: not null })
                .ToImmutableDictionary(c => ((YamlScalarNode)c.Key).Value!, c => reader.SpanOf(c.Value))
            : ImmutableDictionary<string, SourceSpan>.Empty;
}
