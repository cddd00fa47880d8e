using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// A column as a step declares it under <c>columns:</c>: its description, and for a step with
/// <c>contract: true</c> its type and whether it may hold NULL (issue 23, as dbt's model
/// contracts). <c>columns: { id: Source id. }</c> (a description only) stays valid.
/// </summary>
public sealed record ColumnContract(string Name, string? Description, string? Type, bool NotNull, SourceSpan Span);

/// <summary>Reads a step's <c>columns:</c>, each a description or <c>{ description, type, not_null }</c>.</summary>
internal static partial class ColumnContractReader
{
    private static readonly string[] Keys = ["description", "type", "not_null"];

    public static ImmutableArray<ColumnContract> Read(YamlMappingNode step, YamlNodeReader reader, string what)
    {
        var node = YamlNodeReader.Get(step, "columns");
        if (node is null || YamlNodeReader.IsNull(node)) return [];
        if (node is not YamlMappingNode map)
        {
            reader.Error(node, $"'columns' in {what} must be a mapping of column to its description or to {{ description, type, not_null }}");
            return [];
        }
        var columns = ImmutableArray.CreateBuilder<ColumnContract>();
        foreach (var (keyNode, value) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Identifier.IsValid(name))
                reader.Error(keyNode, $"{what}: column '{name}' is not a valid SQL name", Identifier.Rule);
            if (value is YamlScalarNode scalar)
            {
                columns.Add(new ColumnContract(name, YamlNodeReader.IsNull(scalar) ? null : scalar.Value, null, false, reader.SpanOf(keyNode)));
                continue;
            }
            if (reader.Mapping(value, $"column '{name}' of {what}", Keys) is not { } spec) continue;
            var type = reader.String(spec, "type", $"column '{name}' of {what}");
            if (type is not null && !SqlTypeName.IsValid(type))
                reader.Error(YamlNodeReader.Get(spec, "type")!, $"{what}: '{type}' (column '{name}') is not a type name",
                    type.Contains('(') && !type.Contains(')') ? $"inside {{ }} a comma ends the value: quote the type, type: \"{type},...)\"" : SqlTypeName.Rule);
            columns.Add(new ColumnContract(name, reader.String(spec, "description", $"column '{name}' of {what}"), type,
                reader.Bool(spec, "not_null", $"column '{name}' of {what}") ?? false, reader.SpanOf(keyNode)));
        }
        return columns.ToImmutable();
    }
}

/// <summary>A type name pasted into SQL: words, an optional (precision, scale) and array brackets; nothing else.</summary>
public static partial class SqlTypeName
{
    public const string Rule = "write a PostgreSQL type: integer, bigint, text, numeric(10,2), date, timestamptz, boolean, text[]";

    public static bool IsValid(string type) => Pattern().IsMatch(type);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*( [A-Za-z_][A-Za-z0-9_]*)*( ?\(\d+( ?, ?\d+)?\))?(\[\])*$")]
    private static partial Regex Pattern();
}
