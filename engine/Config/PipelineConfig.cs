using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Config;

/// <summary>
/// How a step's result is published (SPEC §6). <c>View</c> publishes the SELECT itself: no rows are
/// stored, readers compute it when they read (docs/authoring.md "Views"). <c>Snapshot</c> keeps
/// every version of each key's row with valid_from/valid_to (SCD2, docs/authoring.md "Snapshots").
/// </summary>
public enum Materialization { Script, Upsert, Replace, Incremental, Extract, View, Snapshot }

/// <summary>
/// What an upsert or incremental step does when its SELECT's columns no longer match its table
/// (SPEC §6, as dbt's on_schema_change): fail naming the columns, add the new ones, or also drop
/// the gone ones and widen changed types. A change that would lose data is an error in every mode.
/// </summary>
public enum OnSchemaChange { Fail, AppendNewColumns, SyncAllColumns }

/// <summary>How rows that disappear from a source reach staging (issue: extraction).</summary>
public enum DeleteMode { None, Soft, Reconcile }

/// <summary>
/// An <c>extract:</c> step (SPEC §3, §9.2): copy listed columns of a source table into the
/// step's table by key, incrementally on <c>cursor</c>, propagating deletes.
/// </summary>
public sealed record ExtractConfig(
    string Source,
    string Table,
    string Key,
    string? Cursor,
    ImmutableArray<string> Columns,
    ImmutableDictionary<string, string> Expressions,
    DeleteMode Deletes,
    string SoftDeleteColumn,
    SourceSpan Span)
{
    /// <summary>Where each listed column is written, for warnings about one column.</summary>
    public ImmutableDictionary<string, SourceSpan> ColumnSpans { get; init; } = ImmutableDictionary<string, SourceSpan>.Empty;

    /// <summary>
    /// <c>people: true</c>: each row of the table is a person, so the rows a run removes (deleted
    /// or soft-deleted in the source) are counted as the people erased (SPEC §9.6), never named.
    /// </summary>
    public bool People { get; init; }

    /// <summary>How old the source's newest row may be (<c>freshness:</c>); null when not checked.</summary>
    public Freshness? Freshness { get; init; }
}

/// <summary>
/// Source freshness (issue 23): the age of a source table's newest row (by the cursor, else by
/// when the engine last captured a change) above which <c>engine freshness</c> warns or fails,
/// and <c>run --require-fresh</c> refuses to run.
/// </summary>
public sealed record Freshness(TimeSpan? WarnAfter, TimeSpan? ErrorAfter, SourceSpan Span);

/// <summary>pipeline.yaml as written, before a target or <c>--var</c> is applied.</summary>
public sealed record PipelineConfig(
    string Name,
    string FilePath,
    string RootDir,
    string SqlRoot,
    ImmutableDictionary<string, string> Vars,
    ImmutableDictionary<string, string> Schemas,
    ImmutableDictionary<string, SourceConfig> Sources,
    string? MigrationsDir,
    string? SeedsDir,
    ImmutableDictionary<string, TargetConfig> Targets,
    ImmutableArray<LayerConfig> Layers,
    StepReference? Rejects = null,
    ImmutableDictionary<string, ImmutableDictionary<string, string>>? SeedTypes = null)
{
    /// <summary>Column types declared for seeds (<c>seed_types: { name: { column: type } }</c>); others are inferred.</summary>
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> SeedTypes { get; init; } =
        SeedTypes ?? ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;

    /// <summary>PostgreSQL settings set at the start of every step's transaction (<c>settings:</c>).</summary>
    public ImmutableDictionary<string, string> Settings { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Vars that are lists or mappings (<see cref="VarValue"/>); <see cref="Vars"/> holds the text ones.</summary>
    public ImmutableDictionary<string, VarValue> StructuredVars { get; init; } = ImmutableDictionary<string, VarValue>.Empty;

    /// <summary>The folder of macro files (<c>macros:</c>, else <c>macros/</c> beside pipeline.yaml when it exists).</summary>
    public string? MacrosDir { get; init; }

    /// <summary>Where each of <c>vars:</c> is written, for errors about its value.</summary>
    public ImmutableDictionary<string, SourceSpan> VarSpans { get; init; } = ImmutableDictionary<string, SourceSpan>.Empty;

    /// <summary>
    /// <c>secret_vars:</c> the vars whose values never reach the run log (stored as <c>***</c>;
    /// SPEC §9.6), e.g. a key or a password passed with <c>--var</c>.
    /// </summary>
    public ImmutableArray<string> SecretVars { get; init; } = [];

    /// <summary>Lock, statement and lease timeouts (top-level keys; docs/operations.md).</summary>
    public Timeouts Timeouts { get; init; } = Timeouts.Default;

    /// <summary>
    /// <c>pseudonym_key:</c> the name of the environment variable that holds the key of the
    /// <c>pseudonym</c> template function (SPEC §9.4), with where it is written; null when the
    /// pipeline computes no pseudonyms. The key itself is never in pipeline.yaml.
    /// </summary>
    public EnvVarReference? PseudonymKey { get; init; }

    /// <summary>
    /// <c>analyze_after</c> when pipeline.yaml sets it: the share of a table's rows a step writes
    /// from which the engine analyzes the table in the step's transaction (0015_bulk_writes.sql).
    /// </summary>
    public double? AnalyzeAfter { get; init; }

    /// <summary>The share used when pipeline.yaml does not set <c>analyze_after</c> (the meta schema's own default too).</summary>
    public const double DefaultAnalyzeAfter = 0.1;

    public IEnumerable<StepConfig> Steps => Layers.SelectMany(layer => layer.Steps);
}

/// <summary>The name of an environment variable written in pipeline.yaml, and where.</summary>
public sealed record EnvVarReference(string Name, SourceSpan Span);

public sealed record SourceConfig(string Name, string? ConnectionEnvVar, string Schema, SourceSpan Span);

public sealed record TargetConfig(
    string Name,
    string? SchemaSuffix,
    ImmutableDictionary<string, string> Schemas,
    ImmutableDictionary<string, string> Vars)
{
    /// <summary>
    /// <c>allow_small_cells: true</c>: <c>vars.min_cell_size</c> may go below its floor on this
    /// target (test fixtures of a few people; SPEC §9.6). Written in pipeline.yaml, so reviewed.
    /// </summary>
    public bool AllowSmallCells { get; init; }

    /// <summary>Where each of the target's <c>vars:</c> is written.</summary>
    public ImmutableDictionary<string, SourceSpan> VarSpans { get; init; } = ImmutableDictionary<string, SourceSpan>.Empty;
}

public sealed record LayerConfig(string Name, int Index, string SchemaKey, ImmutableArray<StepConfig> Steps, SourceSpan Span);

/// <summary>A reference to a step written in YAML or a template, kept with its place for errors.</summary>
public sealed record StepReference(string Text, SourceSpan Span);

public sealed record StepConfig(
    StepId Id,
    int LayerIndex,
    string SchemaKey,
    string Table,
    string SqlPath,
    Materialization Materialize,
    ImmutableArray<string> Key,
    bool DeleteMissing,
    ImmutableArray<StepReference> DependsOn,
    ImmutableArray<string> Tags,
    string? Description,
    ImmutableDictionary<string, string> ColumnDescriptions,
    SourceSpan Span,
    ImmutableArray<DataTestConfig> Tests = default,
    ImmutableArray<string> Sensitive = default,
    ExtractConfig? Extract = null,
    string? Cursor = null,
    string? ScopePath = null)
{
    /// <summary>Incremental from upstream changes (SPEC §6): a scope SQL names the keys to recompute.</summary>
    public bool IsScoped => ScopePath is not null;

    /// <summary>
    /// Secondary indexes on the step's table (<c>indexes: [[user_id]]</c>), created once after the
    /// engine creates the table: joins of small incremental batches need them.
    /// </summary>
    public ImmutableArray<ImmutableArray<string>> Indexes { get; init; } = [];

    /// <summary>
    /// The step's own <c>settings:</c>: PostgreSQL settings its transaction sets after the
    /// pipeline's, winning over them (a step whose plan needs other costs or memory).
    /// </summary>
    public ImmutableDictionary<string, string> Settings { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// <c>fillfactor:</c> (10-100), how full PostgreSQL packs the pages of the step's table; null
    /// when not written (<see cref="TableFillfactor"/>).
    /// </summary>
    public int? Fillfactor { get; init; }

    /// <summary>
    /// The fillfactor of the step's keyed table: its own, else PostgreSQL's default (100). Room
    /// left on each page lets an incremental run's update stay on its page without new index
    /// entries (a HOT update; Meta/0023_fillfactor.sql), but every full read of the table reads
    /// the empty room too, so it is a step's choice. Null for a table without a key (rewritten whole).
    /// </summary>
    public int? TableFillfactor => Key.IsDefaultOrEmpty ? null : Fillfactor ?? DefaultFillfactor;

    /// <summary>PostgreSQL's own fillfactor for tables: pages packed full.</summary>
    public const int DefaultFillfactor = 100;

    /// <summary>The columns declared under <c>columns:</c>, with their types where given.</summary>
    public ImmutableArray<ColumnContract> Columns { get; init; } = [];

    /// <summary><c>contract: true</c>: the SELECT must return exactly <see cref="Columns"/>, with their types and NOT NULLs, or the step fails before publishing.</summary>
    public bool Contract { get; init; }

    /// <summary><c>on_schema_change:</c> (upsert and incremental steps; a replace table is rebuilt from its SELECT).</summary>
    public OnSchemaChange OnSchemaChange { get; init; }

    public ImmutableArray<DataTestConfig> Tests { get; init; } = Tests.IsDefault ? [] : Tests;

    /// <summary>The pipeline's timeouts with the step's own <c>statement_timeout</c> applied.</summary>
    public Timeouts Timeouts { get; init; } = Timeouts.Default;

    /// <summary>Columns whose values are masked in test samples and logs (sensitive data, SPEC §9.6).</summary>
    public ImmutableArray<string> Sensitive { get; init; } = Sensitive.IsDefault ? [] : Sensitive;

    /// <summary>How a <c>materialize: snapshot</c> step tells a new version (null for other steps).</summary>
    public SnapshotConfig? Snapshot { get; init; }
}
