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
        ["name", "sql_root", "vars", "schemas", "sources", "migrations", "seeds", "targets", "layers", "rejects", "seed_types", "settings",
         "lock_timeout", "lock_wait_limit", "statement_timeout", "run_lease", "secret_vars", "macros", "analyze_after", "pseudonym_key"];
    private static readonly string[] SourceKeys = ["connection", "schema"];
    private static readonly string[] TargetKeys = ["schema_suffix", "schemas", "vars", "allow_small_cells"];
    private static readonly string[] LayerKeys = ["name", "schema", "description", "steps"];
    private static readonly string[] StepKeys =
        ["name", "sql", "materialize", "key", "delete_missing", "table", "depends_on", "tags", "description", "columns", "tests", "sensitive", "extract", "cursor", "scope", "indexes", "on_schema_change", "statement_timeout", "settings", "fillfactor", "contract", "check_cols", "updated_at", "hard_deletes"];
    private static readonly string[] MaterializationNames = ["script", "upsert", "replace", "incremental", "view", "snapshot"];
    private static readonly string[] ExtractKeys = ["source", "table", "key", "cursor", "columns", "expressions", "deletes", "soft_delete_column", "people", "freshness"];

    /// <summary>The schema keys every pipeline has; layers add their own.</summary>
    public const string MetaSchemaKey = "meta";

    public static PipelineConfig Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new PipelineException(ErrorKind.Config, null, $"pipeline file not found: {path}",
                "pass --project path/to/pipeline.yaml or run from a folder that contains one");
        return Parse(TextFiles.Read(fullPath), fullPath);
    }

    public static PipelineConfig Parse(string yaml, string fullPath)
    {
        var display = DisplayPath.Of(fullPath);
        var diagnostics = new DiagnosticBag();
        var reader = new YamlNodeReader(display, diagnostics);
        var root = ReadDocument(yaml, display);

        Diagnostic Linked(Diagnostic d) => WithReference(d, root);
        var top = reader.Mapping(root, "pipeline.yaml", TopKeys) ?? throw Collected(diagnostics, Linked);
        var rootDir = Path.GetDirectoryName(fullPath)!;
        var name = reader.String(top, "name", "pipeline.yaml", required: true) ?? "pipeline";
        var sqlRoot = ResolveDir(rootDir, reader.String(top, "sql_root", "pipeline.yaml"), top, "sql_root", reader) ?? rootDir;
        var (vars, structuredVars) = reader.Vars(top, "vars", "pipeline.yaml");
        var schemas = ReadSchemas(top, reader);
        var sources = ReadSources(top, reader);
        var migrations = ResolveDir(rootDir, reader.String(top, "migrations", "pipeline.yaml"), top, "migrations", reader);
        var seeds = ResolveDir(rootDir, reader.String(top, "seeds", "pipeline.yaml"), top, "seeds", reader);
        // Macros need no key: a macros/ folder beside pipeline.yaml is found (docs/authoring.md).
        var macros = ResolveDir(rootDir, reader.String(top, "macros", "pipeline.yaml"), top, "macros", reader)
            ?? (Directory.Exists(Path.Combine(rootDir, "macros")) ? Path.Combine(rootDir, "macros") : null);
        var targets = ReadTargets(top, reader);
        var timeouts = ReadTimeouts(top, reader);
        var layers = ReadLayers(top, reader, sqlRoot, schemas, timeouts);
        var rejects = reader.String(top, "rejects", "pipeline.yaml") is { } rejectsStep
            ? new StepReference(rejectsStep, reader.SpanOf(YamlNodeReader.Get(top, "rejects")!))
            : null;

        var settings = ReadSettings(top, reader, "pipeline.yaml", ofStep: false);
        var pseudonymKey = ReadPseudonymKey(top, reader);
        var analyzeAfter = ReadAnalyzeAfter(top, reader);
        CheckNames(layers, diagnostics);
        CheckTableNames(layers, schemas, diagnostics);
        CheckDependsOn(layers, diagnostics);
        CheckRejects(rejects, layers, diagnostics);
        diagnostics.ThrowIfAny(Linked);
        return new PipelineConfig(name, fullPath, rootDir, sqlRoot, vars, schemas, sources, migrations, seeds, targets, layers, rejects,
            ReadSeedTypes(top, reader))
        {
            Settings = settings, VarSpans = ValueSpans(top, "vars", reader), Timeouts = timeouts, StructuredVars = structuredVars, MacrosDir = macros, AnalyzeAfter = analyzeAfter,
            PseudonymKey = pseudonymKey,
            SecretVars = [.. reader.StringList(top, "secret_vars", "pipeline.yaml").Select(v => v.Value)],
        };
    }

    /// <summary>
    /// <c>settings:</c> PostgreSQL settings every step's transaction sets first (SET LOCAL), e.g.
    /// planner costs for the warehouse's storage; rendered into each step's SQL. A step's own
    /// <c>settings:</c> add to them and win over them (<see cref="StepConfig.Settings"/>).
    /// </summary>
    private static ImmutableDictionary<string, string> ReadSettings(YamlMappingNode map, YamlNodeReader reader, string what, bool ofStep)
    {
        var settings = reader.StringMap(map, "settings", what);
        foreach (var name in settings.Keys.Where(n => !System.Text.RegularExpressions.Regex.IsMatch(n, "^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?$")))
            reader.Error(YamlNodeReader.Get(map, "settings")!, $"setting '{name}' is not a PostgreSQL setting name",
                "use the name as in postgresql.conf, e.g. random_page_cost or work_mem");
        // The engine acts on these (docs/operations.md): they have keys of their own.
        if (YamlNodeReader.Get(map, "settings") is YamlMappingNode given)
            foreach (var name in new[] { "lock_timeout", "statement_timeout" })
                if (YamlNodeReader.Get(given, name) is { } node)
                {
                    var value = (node as YamlScalarNode)?.Value;
                    if (!ofStep)
                        reader.Error(node, $"set {name} as a top-level key of pipeline.yaml, not under settings:",
                            $"the engine acts on it (docs/operations.md): '{name}: {value}' at the top level");
                    else if (name == "statement_timeout")
                        reader.Error(node, $"set statement_timeout as a key of {what}, not under settings:",
                            $"the engine acts on it (docs/operations.md): 'statement_timeout: {value}' beside 'settings:'");
                    else
                        reader.Error(node, $"{what}: lock_timeout is set for the whole pipeline, not under a step's settings:",
                            $"the engine acts on it (docs/operations.md): 'lock_timeout: {value}' at the top level of pipeline.yaml");
                }
        return settings;
    }

    /// <summary>
    /// <c>analyze_after</c>: the share of a table's rows a step must write (insert, update or delete)
    /// for the engine to ANALYZE the table in the step's transaction; a table the step creates is
    /// always analyzed. A number from 0 (after any write) to 1; absent: <see cref="PipelineConfig.DefaultAnalyzeAfter"/>.
    /// </summary>
    private static double? ReadAnalyzeAfter(YamlMappingNode top, YamlNodeReader reader)
    {
        var text = reader.String(top, "analyze_after", "pipeline.yaml");
        if (text is null) return null;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share)
            && share is >= 0 and <= 1)
            return share;
        reader.Error(YamlNodeReader.Get(top, "analyze_after")!, $"'analyze_after' must be a share of a table's rows from 0 to 1, found '{text}'",
            "e.g. analyze_after: 0.1 analyzes a table when a step wrote at least a tenth of its rows (0: after any write)");
        return null;
    }

    /// <summary>
    /// The top-level timeouts (docs/operations.md). <c>lock_timeout</c> and <c>statement_timeout</c>
    /// have keys of their own rather than <c>settings:</c> because the engine acts on them: it
    /// retries a step after a lock timeout and words a statement timeout as such.
    /// </summary>
    private static Timeouts ReadTimeouts(YamlMappingNode top, YamlNodeReader reader)
    {
        var defaults = Timeouts.Default;
        var timeouts = new Timeouts(
            reader.Duration(top, "lock_timeout", "pipeline.yaml") ?? defaults.LockTimeout,
            reader.Duration(top, "lock_wait_limit", "pipeline.yaml") ?? defaults.LockWaitLimit,
            reader.Duration(top, "statement_timeout", "pipeline.yaml") is { } statement && statement > TimeSpan.Zero ? statement : defaults.StatementTimeout,
            reader.Duration(top, "run_lease", "pipeline.yaml") ?? defaults.RunLease);
        if (timeouts.RunLease < TimeSpan.FromSeconds(1))
            reader.Error(YamlNodeReader.Get(top, "run_lease")!, "'run_lease' must be at least 1s",
                "the lease is renewed every third of it; a minute suits most servers");
        return timeouts;
    }

    /// <summary>Paths in messages are relative to the current folder when below it, as compilers print them.</summary>
    private static YamlNode ReadDocument(string yaml, string display)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0)
                throw new PipelineException(ErrorKind.Config, new SourceSpan(display, 1, 1), "pipeline.yaml is empty",
                    "start with 'name:' and 'layers:' (see docs/reference.md#top-level)");
            YamlLimits.Check(stream.Documents[0].RootNode, display, "pipeline.yaml");
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

    private static PipelineException Collected(DiagnosticBag diagnostics, Func<Diagnostic, Diagnostic> annotate)
    {
        try { diagnostics.ThrowIfAny(annotate); }
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
}
