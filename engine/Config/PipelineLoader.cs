using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// Reads pipeline.yaml into immutable records. Every problem (unknown key, wrong type, missing
/// SQL file, duplicate name, a dependency on a later layer) is collected with its line and
/// column and reported together.
/// </summary>
public static partial class PipelineLoader
{
    private static readonly string[] TopKeys =
        ["name", "sql_root", "vars", "schemas", "sources", "migrations", "seeds", "targets", "layers", "rejects", "seed_types", "settings"];
    private static readonly string[] SourceKeys = ["connection", "schema"];
    private static readonly string[] TargetKeys = ["schema_suffix", "schemas", "vars", "allow_small_cells"];
    private static readonly string[] LayerKeys = ["name", "schema", "description", "steps"];
    private static readonly string[] StepKeys =
        ["name", "sql", "materialize", "key", "delete_missing", "table", "depends_on", "tags", "description", "columns", "tests", "sensitive", "extract", "cursor", "scope", "indexes"];
    private static readonly string[] MaterializationNames = ["script", "upsert", "replace", "incremental"];
    private static readonly string[] ExtractKeys = ["source", "table", "key", "cursor", "columns", "expressions", "deletes", "soft_delete_column"];

    /// <summary>The schema keys every pipeline has; layers add their own.</summary>
    public const string MetaSchemaKey = "meta";
    public const string SeedsLayer = "seeds";

    public static PipelineConfig Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new PipelineException(ErrorKind.Config, null, $"pipeline file not found: {path}",
                "pass --project path/to/pipeline.yaml or run from a folder that contains one");
        return Parse(File.ReadAllText(fullPath), fullPath);
    }

    public static PipelineConfig Parse(string yaml, string fullPath)
    {
        var display = DisplayPath(fullPath);
        var diagnostics = new DiagnosticBag();
        var reader = new YamlNodeReader(display, diagnostics);
        var root = ReadDocument(yaml, display);

        var top = reader.Mapping(root, "pipeline.yaml", TopKeys) ?? throw Collected(diagnostics);
        var rootDir = Path.GetDirectoryName(fullPath)!;
        var name = reader.String(top, "name", "pipeline.yaml", required: true) ?? "pipeline";
        var sqlRoot = ResolveDir(rootDir, reader.String(top, "sql_root", "pipeline.yaml"), top, "sql_root", reader) ?? rootDir;
        var vars = reader.StringMap(top, "vars", "pipeline.yaml");
        var schemas = ReadSchemas(top, reader);
        var sources = ReadSources(top, reader);
        var migrations = ResolveDir(rootDir, reader.String(top, "migrations", "pipeline.yaml"), top, "migrations", reader);
        var seeds = ResolveDir(rootDir, reader.String(top, "seeds", "pipeline.yaml"), top, "seeds", reader);
        var targets = ReadTargets(top, reader);
        var layers = ReadLayers(top, reader, sqlRoot, schemas);
        var rejects = reader.String(top, "rejects", "pipeline.yaml") is { } rejectsStep
            ? new StepReference(rejectsStep, reader.SpanOf(YamlNodeReader.Get(top, "rejects")!))
            : null;

        var settings = ReadSettings(top, reader);
        CheckNames(layers, diagnostics);
        CheckDependsOn(layers, diagnostics);
        CheckRejects(rejects, layers, diagnostics);
        diagnostics.ThrowIfAny();
        return new PipelineConfig(name, fullPath, rootDir, sqlRoot, vars, schemas, sources, migrations, seeds, targets, layers, rejects,
            ReadSeedTypes(top, reader)) { Settings = settings, VarSpans = ValueSpans(top, "vars", reader) };
    }

    /// <summary>
    /// <c>settings:</c> PostgreSQL settings every step's transaction sets first (SET LOCAL), e.g.
    /// planner costs for the warehouse's storage; rendered into each step's SQL.
    /// </summary>
    private static ImmutableDictionary<string, string> ReadSettings(YamlMappingNode top, YamlNodeReader reader)
    {
        var settings = reader.StringMap(top, "settings", "pipeline.yaml");
        foreach (var name in settings.Keys.Where(n => !System.Text.RegularExpressions.Regex.IsMatch(n, "^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?$")))
            reader.Error(YamlNodeReader.Get(top, "settings")!, $"setting '{name}' is not a PostgreSQL setting name",
                "use the name as in postgresql.conf, e.g. random_page_cost or work_mem");
        return settings;
    }

    /// <summary>Paths in messages are relative to the current folder when below it, as compilers print them.</summary>
    public static string DisplayPath(string fullPath)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative;
    }

    private static YamlNode ReadDocument(string yaml, string display)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0)
                throw new PipelineException(ErrorKind.Config, new SourceSpan(display, 1, 1), "pipeline.yaml is empty",
                    "start with 'name:' and 'layers:' (see docs/authoring.md)");
            return stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            var span = new SourceSpan(display, (int)e.Start.Line, (int)e.Start.Column);
            var message = e.InnerException?.Message ?? e.Message;
            string? hint = null;
            if (TabIndentedLine(yaml) is { } tabLine)
            {
                // YamlDotNet reports a tab at (1,1); point at the first line indented with one.
                hint = "YAML does not allow tabs for indentation; use spaces";
                if (span.Line <= 1 || message.Contains("tab", StringComparison.OrdinalIgnoreCase))
                    span = new SourceSpan(display, tabLine.Line, tabLine.Column);
            }
            if (message.Contains("same key", StringComparison.OrdinalIgnoreCase) || message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase))
                hint = "each key may appear once in a mapping; remove or rename the repeated one";
            throw new PipelineException(ErrorKind.Config, span, $"invalid YAML: {CleanYamlMessage(message)}", hint);
        }
    }

    private static (int Line, int Column)? TabIndentedLine(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t');
            if (tab >= 0 && tab < indent) return (i + 1, tab + 1);
        }
        return null;
    }

    private static string CleanYamlMessage(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: …) - (…): "; the span already says where.
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 ? message[(marker + 3)..] : message;
    }

    private static PipelineException Collected(DiagnosticBag diagnostics)
    {
        try { diagnostics.ThrowIfAny(); }
        catch (PipelineException e) { return e; }
        return new PipelineException(ErrorKind.Config, null, "pipeline.yaml could not be read");
    }

    private static string? ResolveDir(string rootDir, string? relative, YamlMappingNode top, string key, YamlNodeReader reader)
    {
        if (relative is null) return null;
        var full = Path.GetFullPath(Path.Combine(rootDir, relative));
        if (!Directory.Exists(full)) reader.Error(YamlNodeReader.Get(top, key)!, $"folder not found: {relative}");
        return full;
    }

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

    /// <summary>The place of each value of a mapping of text values (vars), for errors about a value.</summary>
    private static ImmutableDictionary<string, SourceSpan> ValueSpans(YamlMappingNode parent, string key, YamlNodeReader reader) =>
        YamlNodeReader.Get(parent, key) is YamlMappingNode map
            ? map.Children.Where(c => c.Key is YamlScalarNode { Value: not null })
                .ToImmutableDictionary(c => ((YamlScalarNode)c.Key).Value!, c => reader.SpanOf(c.Value))
            : ImmutableDictionary<string, SourceSpan>.Empty;

    private static ImmutableArray<LayerConfig> ReadLayers(YamlMappingNode top, YamlNodeReader reader, string sqlRoot,
        ImmutableDictionary<string, string> schemas)
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
            var steps = ReadSteps(map, reader, sqlRoot, name, layers.Count, schemaKey);
            layers.Add(new LayerConfig(name, layers.Count, schemaKey, steps, reader.SpanOf(map)));
        }
        return layers.ToImmutable();
    }

    private static ImmutableArray<StepConfig> ReadSteps(YamlMappingNode layer, YamlNodeReader reader, string sqlRoot,
        string layerName, int layerIndex, string schemaKey)
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
            var step = ReadStep(map, reader, sqlRoot, new StepId(layerName, name), layerIndex, schemaKey);
            if (step is not null) steps.Add(step);
        }
        return steps.ToImmutable();
    }

    private static StepConfig? ReadStep(YamlMappingNode map, YamlNodeReader reader, string sqlRoot, StepId id, int layerIndex, string schemaKey)
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
        if (hasScope && materialize != Materialization.Incremental)
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
        if (deleteMissing && materialize != Materialization.Upsert)
            reader.Error(YamlNodeReader.Get(map, "delete_missing")!, $"{what}: 'delete_missing' applies to upsert steps only");

        var columns = reader.StringMap(map, "columns", what);
        foreach (var column in columns.Keys.Where(c => !Identifier.IsValid(c)))
            reader.Error(YamlNodeReader.Get(map, "columns")!, $"{what}: column '{column}' is not a valid SQL name", Identifier.Rule);

        var indexes = reader.ListOfLists(map, "indexes", what);
        foreach (var (column, span) in indexes.SelectMany(i => i).Where(c => !Identifier.IsValid(c.Value)))
            reader.Error(YamlNodeReader.Get(map, "indexes")!, $"{what}: index column '{column}' is not a valid SQL name", Identifier.Rule);
        if (!indexes.IsEmpty && materialize == Materialization.Script)
            reader.Error(YamlNodeReader.Get(map, "indexes")!, $"{what}: 'indexes' applies to tables the engine manages", "a script step creates its own indexes");
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
        };
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
        reader.Error(YamlNodeReader.Get(map, key)!, $"{what}: SQL file not found: {relative} (looked in {DisplayPath(sqlRoot)})",
            Suggest.Nearest(relative, nearby) is { } near ? $"did you mean '{near}'?" : null);
        return null;
    }

    private static void CheckNames(ImmutableArray<LayerConfig> layers, DiagnosticBag diagnostics)
    {
        var seenLayers = new HashSet<string>();
        foreach (var layer in layers)
        {
            if (!seenLayers.Add(layer.Name)) diagnostics.Add(layer.Span, $"duplicate layer name '{layer.Name}'");
            if (layer.Name == SeedsLayer) diagnostics.Add(layer.Span, "'seeds' is reserved for the seed tables", "rename the layer");
        }
        var seenSteps = new Dictionary<StepId, SourceSpan>();
        foreach (var step in layers.SelectMany(l => l.Steps))
        {
            if (seenSteps.TryGetValue(step.Id, out var first))
                diagnostics.Add(step.Span, $"duplicate step name '{step.Id}' (first defined at {first})", "step names must be unique within a layer");
            else seenSteps[step.Id] = step.Span;
        }
    }

    /// <summary><c>rejects:</c> names the step whose table lists unusable source rows (step, reason, …).</summary>
    private static void CheckRejects(StepReference? rejects, ImmutableArray<LayerConfig> layers, DiagnosticBag diagnostics)
    {
        if (rejects is null) return;
        var steps = layers.SelectMany(l => l.Steps).Select(s => s.Id.ToString()).ToList();
        if (!steps.Contains(rejects.Text))
            diagnostics.Add(rejects.Span, $"'rejects' names unknown step '{rejects.Text}'", Suggest.Hint(rejects.Text, steps, "steps"));
    }

    private static void CheckDependsOn(ImmutableArray<LayerConfig> layers, DiagnosticBag diagnostics)
    {
        // Duplicate names are reported by CheckNames; the first definition stands for the rest.
        var steps = layers.SelectMany(l => l.Steps).GroupBy(s => s.Id.ToString()).ToDictionary(g => g.Key, g => g.First());
        foreach (var step in layers.SelectMany(l => l.Steps))
        foreach (var dependency in step.DependsOn.Concat(step.Tests.Where(t => t.To is not null).Select(t => t.To!)))
        {
            if (!steps.TryGetValue(dependency.Text, out var target))
                diagnostics.Add(dependency.Span, $"step '{step.Id}' depends on unknown step '{dependency.Text}'", Suggest.Hint(dependency.Text, steps.Keys.ToList(), "steps"));
            else if (target.LayerIndex > step.LayerIndex)
                diagnostics.Add(dependency.Span, $"step '{step.Id}' depends on '{target.Id}' of a later layer",
                    $"a step may read only from its own or earlier layers; move it to layer '{target.Id.Layer}' or later");
        }
    }
}
