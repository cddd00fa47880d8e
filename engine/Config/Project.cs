using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Config;

/// <summary>What the user chose on the command line that changes what the pipeline means.</summary>
public sealed record ProjectOptions(string? Target = null, ImmutableArray<string> VarOverrides = default)
{
    public ImmutableArray<string> VarOverrides { get; init; } = VarOverrides.IsDefault ? [] : VarOverrides;
}

public sealed record ResolvedSource(string Name, string? ConnectionEnvVar, Identifier Schema);

/// <summary>
/// A pipeline with its target and <c>--var</c> overrides applied: every schema name validated,
/// every var final. All that rendering needs, and nothing that needs a database.
/// </summary>
public sealed record Project(
    PipelineConfig Config,
    string? TargetName,
    ImmutableDictionary<string, Identifier> Schemas,
    ImmutableDictionary<string, string> Vars,
    ImmutableDictionary<string, ResolvedSource> Sources)
{
    /// <summary>Vars that are lists or mappings, as pipeline.yaml writes them (targets and <c>--var</c> set text vars only).</summary>
    public ImmutableDictionary<string, VarValue> StructuredVars => Config.StructuredVars;

    public Identifier MetaSchema => Schemas[PipelineLoader.MetaSchemaKey];

    /// <summary>Seed tables live in <c>schemas.seeds</c> when declared, else beside the run log.</summary>
    public Identifier SeedsSchema => Schemas.GetValueOrDefault(StepId.SeedsLayer) ?? MetaSchema;

    /// <summary>
    /// Where offending rows and failed builds are kept (<c>store_failures</c>, <c>--keep-failed</c>):
    /// <c>schemas.failures</c> when declared, else the meta schema's name with <c>_failures</c>, so
    /// a target's suffix applies to it too.
    /// </summary>
    public Identifier FailuresSchema => Schemas.GetValueOrDefault(FailuresSchemaKey)
        ?? Identifier.Parse(MetaSchema.Name.Length > 54 ? MetaSchema.Name[..54] + "_failures" : MetaSchema.Name + "_failures");

    public const string FailuresSchemaKey = "failures";

    public Identifier SchemaOf(StepConfig step) => Schemas[step.SchemaKey];

    public string TableOf(StepConfig step) => $"{SchemaOf(step).Quoted}.{Identifier.Parse(step.Table).Quoted}";

    /// <summary>The target sets <c>allow_small_cells: true</c>: k may go below its floor (SPEC §9.6, test fixtures).</summary>
    public bool AllowsSmallCells => TargetName is { } name && Config.Targets.TryGetValue(name, out var target) && target.AllowSmallCells;

    public static Project Resolve(PipelineConfig config, ProjectOptions options)
    {
        var diagnostics = new DiagnosticBag();
        var schemas = config.Schemas.ToBuilder();
        var vars = config.Vars.ToBuilder();
        var sourceSchemas = config.Sources.ToDictionary(s => s.Key, s => s.Value.Schema);

        TargetConfig? target = null;
        if (options.Target is { } targetName)
        {
            if (!config.Targets.TryGetValue(targetName, out target))
                throw new PipelineException(ErrorKind.Usage, null, $"unknown target '{targetName}'",
                    Suggest.Hint(targetName, config.Targets.Keys.Order(StringComparer.Ordinal).ToList(), "targets"));
            foreach (var (key, value) in target.Schemas) schemas[key] = value;
            foreach (var (key, value) in target.Vars)
            {
                if (config.StructuredVars.TryGetValue(key, out var structured))
                    diagnostics.Add(target.VarSpans.GetValueOrDefault(key), $"targets.{targetName}.vars.{key}: '{key}' is {structured.Describe()} under vars:, a target sets text vars only",
                        "give the target's value a var of its own", ErrorKind.Config);
                vars[key] = value;
            }
            if (target.SchemaSuffix is { } suffix)
                foreach (var key in schemas.Keys.Order(StringComparer.Ordinal).ToList()) schemas[key] += suffix;
        }

        foreach (var text in options.VarOverrides)
            ApplyOverride(text, config, schemas, vars, sourceSchemas, diagnostics);
        MinCellSize.Check(config, target, vars.ToImmutable(),
            fromCommandLine: options.VarOverrides.Any(o => o.Split('=')[0].Trim() == MinCellSize.Var), diagnostics);

        var resolvedSchemas = ImmutableDictionary.CreateBuilder<string, Identifier>();
        foreach (var (key, name) in schemas)
        {
            if (Identifier.TryParse(name, out var identifier)) resolvedSchemas[key] = identifier;
            else diagnostics.Add(null, $"schema '{key}' is not a valid SQL name: '{name}'", Identifier.Rule, ErrorKind.Usage);
        }
        var sources = ImmutableDictionary.CreateBuilder<string, ResolvedSource>();
        foreach (var (name, source) in config.Sources)
        {
            if (Identifier.TryParse(sourceSchemas[name], out var schema)) sources[name] = new ResolvedSource(name, source.ConnectionEnvVar, schema);
            else diagnostics.Add(null, $"schema of source '{name}' is not a valid SQL name: '{sourceSchemas[name]}'", Identifier.Rule, ErrorKind.Usage);
        }
        diagnostics.ThrowIfAny();
        return new Project(config, options.Target, resolvedSchemas.ToImmutable(), vars.ToImmutable(), sources.ToImmutable());
    }

    /// <summary><c>--var key=value</c>: <c>schemas.X</c>, <c>sources.X.schema</c> or a var declared under <c>vars:</c>.</summary>
    private static void ApplyOverride(string text, PipelineConfig config, ImmutableDictionary<string, string>.Builder schemas,
        ImmutableDictionary<string, string>.Builder vars, Dictionary<string, string> sourceSchemas, DiagnosticBag diagnostics)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0)
        {
            diagnostics.Add(null, $"--var '{text}' is not key=value", "for example --var timezone=UTC or --var schemas.mart=mart_dev", ErrorKind.Usage);
            return;
        }
        var key = text[..equals].Trim();
        var value = text[(equals + 1)..];
        if (key.StartsWith("schemas.", StringComparison.Ordinal))
        {
            var schema = key["schemas.".Length..];
            if (!schemas.ContainsKey(schema))
                diagnostics.Add(null, $"--var {key}: no schema '{schema}'", Suggest.Hint(schema, schemas.Keys.Order(StringComparer.Ordinal).ToList(), "schemas"), ErrorKind.Usage);
            else if (!Identifier.IsValid(value))
                diagnostics.Add(null, $"--var {key}: '{value}' is not a valid SQL name", Identifier.Rule, ErrorKind.Usage);
            else schemas[schema] = value;
        }
        else if (key.StartsWith("sources.", StringComparison.Ordinal) && key.EndsWith(".schema", StringComparison.Ordinal))
        {
            var source = key["sources.".Length..^".schema".Length];
            if (!sourceSchemas.ContainsKey(source))
                diagnostics.Add(null, $"--var {key}: no source '{source}'", Suggest.Hint(source, sourceSchemas.Keys.Order(StringComparer.Ordinal).ToList(), "sources"), ErrorKind.Usage);
            else if (!Identifier.IsValid(value))
                diagnostics.Add(null, $"--var {key}: '{value}' is not a valid SQL name", Identifier.Rule, ErrorKind.Usage);
            else sourceSchemas[source] = value;
        }
        else if (config.StructuredVars.TryGetValue(key, out var structured))
            // A list typed on the command line would need a syntax of its own, and its items quoting rules; pipeline.yaml has both.
            diagnostics.Add(null, $"--var {key}: '{key}' is {structured.Describe()} in pipeline.yaml, and --var sets text vars only",
                $"change the {structured.Describe()[2..]} in pipeline.yaml, or declare a text var for the value you want to pass", ErrorKind.Usage);
        else if (!config.Vars.ContainsKey(key))
            diagnostics.Add(null, $"--var {key}: no such var in pipeline.yaml", Suggest.Hint(key, config.Vars.Keys.Concat(config.StructuredVars.Keys).Order(StringComparer.Ordinal).ToList(), "vars"), ErrorKind.Usage);
        else if (UnsafeVarValue(value))
            diagnostics.Add(null, $"--var {key}: the value may not contain quotes, ';', '\\' or comment markers",
                "vars are pasted into SQL; pass plain values such as UTC or 2025-12-01", ErrorKind.Usage);
        else vars[key] = value;
    }

    private static bool UnsafeVarValue(string value) =>
        value.IndexOfAny(['\'', '"', ';', '\\']) >= 0 || value.Contains("--", StringComparison.Ordinal) || value.Contains("/*", StringComparison.Ordinal);
}
