using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>Reads a step's <c>extract:</c> mapping, validating every name that will reach SQL.</summary>
internal static class ExtractReader
{
    private static readonly string[] DeleteModes = ["soft", "reconcile", "none"];

    public static ExtractConfig? Read(YamlMappingNode step, YamlNodeReader reader, string what, string[] keys)
    {
        if (YamlNodeReader.Get(step, "extract") is not { } node) return null;
        var where = $"'extract' of {what}";
        if (reader.Mapping(node, where, keys) is not { } map) return null;
        var source = reader.String(map, "source", where, required: true) ?? "";
        var table = reader.String(map, "table", where, required: true) ?? "";
        var key = reader.String(map, "key", where) ?? "id";
        var cursor = reader.String(map, "cursor", where);
        var columnList = reader.StringList(map, "columns", where);
        var columns = columnList.Select(c => c.Value).ToImmutableArray();
        var expressions = reader.StringMap(map, "expressions", where);
        var softDelete = reader.String(map, "soft_delete_column", where) ?? "deleted_at";
        // Each bad name is reported where it is written.
        foreach (var field in new[] { "table", "key", "cursor", "soft_delete_column" })
            if (YamlNodeReader.Get(map, field) is YamlScalarNode { Value: { Length: > 0 } value } scalar && !Identifier.IsValid(value))
                reader.Error(scalar, $"{where}: {field} '{value}' is not a valid SQL name", Identifier.Rule);
        foreach (var (column, span) in columnList.Where(c => !Identifier.IsValid(c.Value)))
            reader.ErrorAt(span, $"{where}: column '{column}' is not a valid SQL name", Identifier.Rule);
        foreach (var name in expressions.Keys.Where(n => !Identifier.IsValid(n)))
            reader.Error(YamlNodeReader.Get(map, "expressions")!, $"{where}: expression name '{name}' is not a valid SQL name", Identifier.Rule);
        if (columns.IsEmpty)
            reader.Error(node, $"{where} needs 'columns'", "list the columns to copy: only those leave the source (data minimisation)");
        else
        {
            if (!columns.Contains(key)) reader.Error(node, $"{where}: the key '{key}' must be one of the columns");
            if (cursor is not null && !columns.Contains(cursor)) reader.Error(node, $"{where}: the cursor '{cursor}' must be one of the columns");
        }
        var deletesText = reader.String(map, "deletes", where) ?? "reconcile";
        if (!DeleteModes.Contains(deletesText))
            reader.Error(YamlNodeReader.Get(map, "deletes")!, $"{where}: deletes must be soft, reconcile or none, found '{deletesText}'",
                Suggest.Nearest(deletesText, DeleteModes) is { } near ? $"did you mean '{near}'?" : null);
        var deletes = deletesText switch { "soft" => DeleteMode.Soft, "none" => DeleteMode.None, _ => DeleteMode.Reconcile };
        return new ExtractConfig(source, table, key, cursor, columns, expressions, deletes, softDelete, reader.SpanOf(node))
        {
            ColumnSpans = columnList.GroupBy(c => c.Value).ToImmutableDictionary(g => g.Key, g => g.First().Span),
            People = reader.Bool(map, "people", where) ?? false,
            Freshness = ReadFreshness(map, reader, where),
        };
    }

    private static readonly string[] FreshnessKeys = ["warn_after", "error_after"];

    /// <summary><c>freshness: { warn_after: 2h, error_after: 1d }</c> (issue 23, as dbt's source freshness).</summary>
    private static Freshness? ReadFreshness(YamlMappingNode map, YamlNodeReader reader, string where)
    {
        if (YamlNodeReader.Get(map, "freshness") is not { } node || YamlNodeReader.IsNull(node)) return null;
        var what = $"'freshness' of {where}";
        if (reader.Mapping(node, what, FreshnessKeys) is not { } freshness) return null;
        var warn = reader.Duration(freshness, "warn_after", what);
        var error = reader.Duration(freshness, "error_after", what);
        if (warn is null && error is null)
            reader.Error(node, $"{what} needs warn_after, error_after or both", "freshness: { warn_after: 2h, error_after: 1d }");
        if (warn is { } w && error is { } e && w > e)
            reader.Error(node, $"{what}: warn_after ({Duration.Text(w)}) is longer than error_after ({Duration.Text(e)})", "a table warns before it errors");
        return new Freshness(warn, error, reader.SpanOf(node));
    }
}
