using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>pipeline.yaml's layers and their steps.</summary>
public static partial class PipelineLoader
{
    private static ImmutableArray<LayerConfig> ReadLayers(YamlMappingNode top, YamlNodeReader reader, string sqlRoot,
        ImmutableDictionary<string, string> schemas, Timeouts timeouts)
    {
        var node = YamlNodeReader.Get(top, "layers");
        if (node is null) { reader.Error(top, "pipeline.yaml needs 'layers'", "add 'layers:' with at least one layer and its steps"); return []; }
        if (node is not YamlSequenceNode sequence) { reader.Error(node, $"'layers' must be a list, found {YamlNodeReader.Describe(node)}"); return []; }

        var layers = ImmutableArray.CreateBuilder<LayerConfig>();
        foreach (var layerNode in sequence.Children)
        {
            if (reader.Mapping(layerNode, "a layer", LayerKeys) is not { } map) continue;
            var name = reader.String(map, "name", "a layer", required: true) ?? "";
            var what = $"layer '{name}'";
            var schemaKey = reader.String(map, "schema", what) ?? name;
            if (!schemas.ContainsKey(schemaKey))
                reader.Error(YamlNodeReader.Get(map, "schema") ?? YamlNodeReader.Get(map, "name") ?? map,
                    $"{what} has no schema: '{schemaKey}' is not under 'schemas'", Suggest.Hint(schemaKey, schemas.Keys.Order(StringComparer.Ordinal).ToList(), "schemas"));
            var steps = ReadSteps(map, reader, sqlRoot, name, layers.Count, schemaKey, timeouts);
            layers.Add(new LayerConfig(name, layers.Count, schemaKey, steps, reader.SpanOf(map)));
        }
        return layers.ToImmutable();
    }

    private static ImmutableArray<StepConfig> ReadSteps(YamlMappingNode layer, YamlNodeReader reader, string sqlRoot,
        string layerName, int layerIndex, string schemaKey, Timeouts timeouts)
    {
        var node = YamlNodeReader.Get(layer, "steps");
        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(node ?? layer, $"layer '{layerName}' needs 'steps' as a list");
            return [];
        }
        var steps = ImmutableArray.CreateBuilder<StepConfig>();
        foreach (var stepNode in sequence.Children)
        {
            if (reader.Mapping(stepNode, $"a step of layer '{layerName}'", StepKeys) is not { } map) continue;
            var name = reader.String(map, "name", $"a step of layer '{layerName}'", required: true) ?? "";
            var step = ReadStep(map, reader, sqlRoot, new StepId(layerName, name), layerIndex, schemaKey, timeouts);
            if (step is not null) steps.Add(step);
        }
        return steps.ToImmutable();
    }

    private static StepConfig? ReadStep(YamlMappingNode map, YamlNodeReader reader, string sqlRoot, StepId id, int layerIndex, string schemaKey,
        Timeouts timeouts)
    {
        var what = $"step '{id}'";
        var extract = ExtractReader.Read(map, reader, what, ExtractKeys);
        var materialize = extract is not null ? Materialization.Extract : ReadMaterialization(map, reader, what);
        if (extract is not null && YamlNodeReader.Get(map, "materialize") is { } explicitMaterialize)
            reader.Error(explicitMaterialize, $"{what}: an extract step is materialized by the engine; remove 'materialize'");
        var cursor = reader.String(map, "cursor", what);
        var hasScope = YamlNodeReader.Get(map, "scope") is not null;
        if (materialize == Materialization.Incremental && cursor is null && !hasScope)
            reader.Error(YamlNodeReader.Get(map, "materialize")!, $"{what} is incremental and needs 'cursor' or 'scope'",
                "name the column that grows with every change (cursor: updated_at), or a SQL file selecting the keys to recompute from upstream changes (scope: ...)");
        if (cursor is not null && hasScope && extract is null)
            reader.Error(YamlNodeReader.Get(map, "scope")!, $"{what}: 'cursor' and 'scope' are two ways of being incremental; keep one");
        if (hasScope && materialize is not (Materialization.Incremental or Materialization.Snapshot))
            reader.Error(YamlNodeReader.Get(map, "scope")!, $"{what}: 'scope' applies to incremental steps only", "add 'materialize: incremental'");
        if (cursor is not null && !Identifier.IsValid(cursor))
            reader.Error(YamlNodeReader.Get(map, "cursor")!, $"{what}: cursor '{cursor}' is not a valid SQL name", Identifier.Rule);
        var table = reader.String(map, "table", what) ?? id.Name;
        if (!Identifier.IsValid(table))
            reader.Error(YamlNodeReader.Get(map, "table") ?? YamlNodeReader.Get(map, "name") ?? map,
                $"{what}: table name '{table}' is not a valid SQL name", Identifier.Rule);

        var key = extract is not null && YamlNodeReader.Get(map, "key") is null
            ? [(extract.Key, extract.Span)]
            : reader.StringList(map, "key", what);
        foreach (var (column, span) in key)
            // The key may come from `extract:` (already checked there); report at its own place.
            if (!Identifier.IsValid(column) && extract is null) reader.Error(YamlNodeReader.Get(map, "key")!, $"{what}: key column '{column}' is not a valid SQL name", Identifier.Rule);
        if (materialize is Materialization.Upsert or Materialization.Incremental && key.IsEmpty)
            reader.Error(YamlNodeReader.Get(map, "materialize")!, $"{what} is an upsert and needs 'key'", "add 'key: [id]' naming the columns that identify a row");

        var deleteMissing = reader.Bool(map, "delete_missing", what) ?? false;
        if (deleteMissing && materialize is not (Materialization.Upsert or Materialization.Snapshot))
            reader.Error(YamlNodeReader.Get(map, "delete_missing")!, $"{what}: 'delete_missing' applies to upsert steps only");

        var columnSpecs = ColumnContractReader.Read(map, reader, what);
        var columns = columnSpecs.Where(c => c.Description is not null).ToImmutableDictionary(c => c.Name, c => c.Description!);
        var contract = ReadContract(map, reader, what, materialize, columnSpecs);
        var snapshot = ReadSnapshot(map, reader, what, materialize, key, columnSpecs);

        var indexes = reader.ListOfLists(map, "indexes", what);
        foreach (var (column, span) in indexes.SelectMany(i => i).Where(c => !Identifier.IsValid(c.Value)))
            reader.Error(YamlNodeReader.Get(map, "indexes")!, $"{what}: index column '{column}' is not a valid SQL name", Identifier.Rule);
        if (!indexes.IsEmpty && materialize == Materialization.Script)
            reader.Error(YamlNodeReader.Get(map, "indexes")!, $"{what}: 'indexes' applies to tables the engine manages", "a script step creates its own indexes");
        if (!indexes.IsEmpty && materialize == Materialization.View)
            reader.Error(YamlNodeReader.Get(map, "indexes")!, $"{what}: a view has no indexes of its own", "index the tables it reads, or make the step a table (materialize: replace)");
        var fillfactor = ReadFillfactor(map, reader, what, materialize, key.IsEmpty);
        var onSchemaChange = ReadOnSchemaChange(map, reader, what, materialize);
        var sqlPath = extract is not null && YamlNodeReader.Get(map, "sql") is null ? "" : ReadSqlPath(map, "sql", reader, sqlRoot, what);
        var scopePath = hasScope ? ReadSqlPath(map, "scope", reader, sqlRoot, what) : null;
        // A missing file is already reported; the step stays so references to it are not reported too.
        sqlPath ??= "";
        return new StepConfig(id, layerIndex, schemaKey, table, sqlPath, materialize,
            key.Select(k => k.Value).ToImmutableArray(), deleteMissing,
            reader.StringList(map, "depends_on", what).Select(d => new StepReference(d.Value, d.Span)).ToImmutableArray(),
            reader.StringList(map, "tags", what).Select(t => t.Value).ToImmutableArray(),
            reader.String(map, "description", what), columns, reader.SpanOf(map),
            DataTestLoader.Read(map, reader, sqlRoot, id),
            ReadColumns(map, "sensitive", reader, what), extract, cursor, scopePath)
        {
            Indexes = indexes.Select(i => i.Select(c => c.Value).ToImmutableArray()).ToImmutableArray(),
            OnSchemaChange = onSchemaChange,
            Columns = columnSpecs,
            Contract = contract,
            Snapshot = snapshot,
            Settings = ReadSettings(map, reader, what, ofStep: true),
            Fillfactor = fillfactor,
            // A step's own statement_timeout (0: none) replaces the pipeline's.
            Timeouts = reader.Duration(map, "statement_timeout", what) is { } own
                ? timeouts with { StatementTimeout = own > TimeSpan.Zero ? own : null }
                : timeouts,
        };
    }

    /// <summary>
    /// <c>fillfactor:</c> 10-100, for a keyed table the engine writes: the others are rewritten
    /// whole (or are views, scripts, snapshots), so room for updates in place would only be empty.
    /// </summary>
    private static int? ReadFillfactor(YamlMappingNode map, YamlNodeReader reader, string what, Materialization materialize, bool keyless)
    {
        var text = reader.String(map, "fillfactor", what);
        if (text is null) return null;
        var node = YamlNodeReader.Get(map, "fillfactor")!;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value is < 10 or > 100)
        {
            reader.Error(node, $"{what}: 'fillfactor' must be a whole number from 10 to 100, found '{text}'",
                $"the percentage of each page PostgreSQL fills ({StepConfig.DefaultFillfactor}, the default, packs them full); 90 leaves room for updates in place");
            return null;
        }
        var notUpserted = materialize is Materialization.Script or Materialization.View or Materialization.Snapshot;
        if (notUpserted || keyless)
        {
            reader.Error(node, $"{what}: 'fillfactor' applies to a table the engine updates by key",
                notUpserted
                    ? "remove it: this step's table is not written by the engine's upsert"
                    : "add 'key:', or remove it: a table without a key is rewritten whole");
            return null;
        }
        return value;
    }

    /// <summary>
    /// <c>contract: true</c> (issue 23): the declared columns bind the SELECT, so each needs a
    /// type; only a step whose rows the engine writes has a SELECT to bind.
    /// </summary>
    private static bool ReadContract(YamlMappingNode map, YamlNodeReader reader, string what, Materialization materialize,
        ImmutableArray<ColumnContract> columns)
    {
        if (reader.Bool(map, "contract", what) is not true) return false;
        var node = YamlNodeReader.Get(map, "contract")!;
        if (materialize is Materialization.Script or Materialization.Extract)
            reader.Error(node, $"{what}: 'contract' applies to upsert, replace and incremental steps", "a script's or an extract's columns are its own");
        if (columns.IsEmpty)
            reader.Error(node, $"{what} has a contract but declares no columns",
                "declare every column the SELECT returns: columns: { id: { type: bigint, not_null: true }, name: { type: text } }");
        foreach (var column in columns.Where(c => c.Type is null))
            reader.ErrorAt(column.Span, $"{what}: column '{column.Name}' has no type, and the step has a contract",
                $"write it as {column.Name}: {{ type: text, description: ... }}");
        return true;
    }

    private static readonly string[] OnSchemaChangeNames = ["fail", "append_new_columns", "sync_all_columns"];

    private static OnSchemaChange ReadOnSchemaChange(YamlMappingNode map, YamlNodeReader reader, string what, Materialization materialize)
    {
        if (reader.String(map, "on_schema_change", what) is not { } text) return OnSchemaChange.Fail;
        var node = YamlNodeReader.Get(map, "on_schema_change")!;
        if (materialize is not (Materialization.Upsert or Materialization.Incremental))
            reader.Error(node, $"{what}: 'on_schema_change' applies to upsert and incremental steps",
                "a replace step is rebuilt from its SELECT when the SELECT's columns change");
        var index = Array.IndexOf(OnSchemaChangeNames, text);
        if (index < 0)
            reader.Error(node, $"{what}: on_schema_change '{text}' is not one of {string.Join(", ", OnSchemaChangeNames)}",
                Suggest.Hint(text, OnSchemaChangeNames, "values"));
        return index < 0 ? OnSchemaChange.Fail : (OnSchemaChange)index;
    }

    private static ImmutableArray<string> ReadColumns(YamlMappingNode map, string key, YamlNodeReader reader, string what)
    {
        var columns = reader.StringList(map, key, what);
        foreach (var (column, _) in columns.Where(c => !Identifier.IsValid(c.Value)))
            reader.Error(YamlNodeReader.Get(map, key)!, $"{what}: column '{column}' is not a valid SQL name", Identifier.Rule);
        return columns.Select(c => c.Value).ToImmutableArray();
    }

    private static Materialization ReadMaterialization(YamlMappingNode map, YamlNodeReader reader, string what)
    {
        var text = reader.String(map, "materialize", what);
        if (text is null) return Materialization.Script;
        if (Enum.TryParse<Materialization>(text, ignoreCase: true, out var value) && MaterializationNames.Contains(text)) return value;
        reader.Error(YamlNodeReader.Get(map, "materialize")!, $"{what}: unknown materialization '{text}'", Suggest.Hint(text, MaterializationNames, "materializations"));
        return Materialization.Script;
    }

    private static string? ReadSqlPath(YamlMappingNode map, string key, YamlNodeReader reader, string sqlRoot, string what)
    {
        var relative = reader.String(map, key, what, required: true);
        if (relative is null) return null;
        var full = Path.GetFullPath(Path.Combine(sqlRoot, relative));
        if (File.Exists(full)) return full;
        var dir = Path.GetDirectoryName(full);
        var nearby = dir is not null && Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.sql").Select(f => Path.GetRelativePath(sqlRoot, f)).ToList()
            : [];
        reader.Error(YamlNodeReader.Get(map, key)!, $"{what}: SQL file not found: {relative} (looked in {DisplayPath.Of(sqlRoot)})",
            Suggest.Nearest(relative, nearby) is { } near ? $"did you mean '{near}'?" : null);
        return null;
    }
}
