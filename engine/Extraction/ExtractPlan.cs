using System.Text;
using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Extraction;

/// <summary>
/// The SQL of an <c>extract</c> step, decided without a database: what to read from the source
/// (the watermark is filled in at run time, from the meta schema of the same transaction), and
/// how the copied rows are merged into staging. <see cref="Describe"/> is what <c>render</c> prints.
/// </summary>
public sealed record ExtractPlan(Project Project, StepConfig Step, ExtractConfig Config, ResolvedSource Source)
{
    public const string Rows = MaterializationSql.StagingTable;
    public const string DeletedKeys = "lp_deleted_keys";
    public const string SourceKeys = "lp_source_keys";

    /// <summary>The incremental steps that read this step's changes: when any do, it logs them.</summary>
    public System.Collections.Immutable.ImmutableArray<StepId> Consumers { get; init; } = [];

    private bool Tracked => !Consumers.IsEmpty;

    /// <summary>A delete on staging (aliased t) that, when tracked, also logs the deleted rows' images.</summary>
    private string Logged(string delete) => Tracked
        ? $"WITH gone AS ({delete} RETURNING t.*) INSERT INTO {Project.MetaSchema.Quoted}.changes (step, image) SELECT {SqlText.Literal(Step.Id.ToString())}, to_jsonb(gone) FROM gone"
        : delete;

    public string SourceTable => $"{Source.Schema.Quoted}.{Identifier.Parse(Config.Table).Quoted}";
    public string Target => Project.TableOf(Step);
    private string Key => Identifier.Parse(Config.Key).Quoted;

    /// <summary>Output column names in order: the listed columns, then the computed ones.</summary>
    public IReadOnlyList<string> Columns => [.. Config.Columns, .. Config.Expressions.Keys.Order(StringComparer.Ordinal)];

    public bool HandlesSoftDeletes => Config.Deletes != DeleteMode.None && Config.Columns.Contains(Config.SoftDeleteColumn);

    public string SelectList => string.Join(", ",
        Config.Columns.Select(c => Identifier.Parse(c).Quoted)
            .Concat(Config.Expressions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"({e.Value}) AS {Identifier.Parse(e.Key).Quoted}")));

    /// <summary>
    /// The source query; with a watermark, only rows at or after it (equal ones again: the merge
    /// de-duplicates by key), or strictly after it when the rows at the watermark are unchanged.
    /// </summary>
    public string SourceQuery(string? watermarkLiteral, bool strictlyAfter = false) =>
        $"SELECT {SelectList} FROM {SourceTable}" +
        (watermarkLiteral is null || Config.Cursor is null ? "" : $" WHERE {Identifier.Parse(Config.Cursor).Quoted} {(strictlyAfter ? ">" : ">=")} {watermarkLiteral}");

    /// <summary>The fingerprint of the source rows whose cursor equals the given value, as extracted.</summary>
    public string AtWatermarkQuery(string watermarkLiteral) =>
        Fingerprint($"SELECT {SelectList} FROM {SourceTable} WHERE {Identifier.Parse(Config.Cursor!).Quoted} = {watermarkLiteral}");

    /// <summary>Records the fingerprint of the rows at the new watermark, in the step's transaction.</summary>
    public string RecordAtWatermarkSql(string fingerprintLiteral) =>
        $"UPDATE {Watermarks} SET at_watermark = {fingerprintLiteral} WHERE {ThisStep}";

    /// <summary>COMMENT ON statements for the staging table's description, after the merge.</summary>
    public string Comments => MaterializationSql.Comments(Project, Step);

    /// <summary>Rows the source has that staging should have too (soft-deleted ones excluded).</summary>
    public string SourceCountQuery =>
        $"SELECT count(*) FROM {SourceTable}" + (HandlesSoftDeletes ? $" WHERE {Identifier.Parse(Config.SoftDeleteColumn).Quoted} IS NULL" : "");

    /// <summary>Hard deletes: staging keys the source no longer has, after the source's keys were copied.</summary>
    public string ReconcileSql => Logged($"DELETE FROM {Target} AS t WHERE NOT EXISTS (SELECT 1 FROM {SourceKeys} AS k WHERE k.{Key} = t.{Key})");

    public string KeyQuery => $"SELECT {Key} FROM {SourceTable}";

    /// <summary>Incremental runs find hard deletes by comparing counts, then streaming keys.</summary>
    public bool Reconciles => Config.Cursor is not null && Config.Deletes == DeleteMode.Reconcile;

    private string Watermarks => $"{Project.MetaSchema.Quoted}.watermarks";
    private string ThisStep => $"step = {SqlText.Literal(Step.Id.ToString())}";

    /// <summary>Staging's row count as recorded with the watermark (NULL before the first recount).</summary>
    public string StagingRowsQuery => $"SELECT staging_rows FROM {Watermarks} WHERE {ThisStep}";

    /// <summary>Re-records staging's row count, after a full load or a reconciliation.</summary>
    public string RecountSql => $"UPDATE {Watermarks} SET staging_rows = (SELECT count(*) FROM {Target}) WHERE {ThisStep}";

    /// <summary>
    /// After an incremental merge: staging gained the keys the merge inserted and lost the
    /// soft-deleted rows it removed, so the recorded count stays exact without counting staging.
    /// </summary>
    public string AdjustCountSql(string change) => $"UPDATE {Watermarks} SET staging_rows = staging_rows + {change} WHERE {ThisStep}";

    /// <summary>
    /// A table without a cursor is reloaded whole, unless it is unchanged: its fingerprint (the
    /// count and two 64-bit hash aggregates of the extracted rows, independent of row order) is
    /// computed on the source and stored as the step's watermark. A different session setting
    /// that changes how values print only causes a reload, never a missed change.
    /// </summary>
    public string FingerprintQuery => Fingerprint($"SELECT {SelectList} FROM {SourceTable}");

    private static string Fingerprint(string rows) =>
        "SELECT count(*)::text || '/' || coalesce(sum(hashtextextended(r::text, 0)::numeric), 0)::text" +
        " || '/' || coalesce(bit_xor(hashtextextended(r::text, 1)), 0)::text" +
        $" FROM ({rows}) AS r";

    /// <summary>The statements after the copy, in the step's transaction. Row counts of the marked ones are the step's rows.</summary>
    public IReadOnlyList<(string Sql, bool CountsRows)> MergeStatements(bool fullLoad, string? fingerprintLiteral = null)
    {
        var meta = Project.MetaSchema.Quoted;
        var statements = new List<(string, bool)>();
        if (fingerprintLiteral is not null)
            statements.Add(($"INSERT INTO {meta}.watermarks (step, value, updated_at) VALUES ({SqlText.Literal(Step.Id.ToString())}, {fingerprintLiteral}, now()) " +
                            "ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at", false));
        if (Config.Cursor is { } cursor)
            statements.Add(($"INSERT INTO {meta}.watermarks (step, value, updated_at) " +
                            $"SELECT {SqlText.Literal(Step.Id.ToString())}, max({Identifier.Parse(cursor).Quoted})::text, now() FROM {Rows} " +
                            $"HAVING max({Identifier.Parse(cursor).Quoted}) IS NOT NULL " +
                            "ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at", false));
        if (HandlesSoftDeletes)
        {
            var deleted = Identifier.Parse(Config.SoftDeleteColumn).Quoted;
            statements.Add(($"CREATE TEMP TABLE {DeletedKeys} ON COMMIT DROP AS SELECT {Key} FROM {Rows} WHERE {deleted} IS NOT NULL", false));
            statements.Add(($"DELETE FROM {Rows} WHERE {deleted} IS NOT NULL", false));
        }
        if (Tracked) statements.Add((MaterializationSql.ForgetConsumedChanges(Project, Step.Id, Consumers), false));
        // A full load is the whole source: keys it lacks leave staging (delete_missing).
        statements.Add(($"CALL {meta}.lp_materialize('upsert', {SqlText.Literal(Project.SchemaOf(Step).Name)}, {SqlText.Literal(Step.Table)}, " +
                        $"ARRAY[{SqlText.Literal(Config.Key)}], {(fullLoad ? "true" : "false")}, false, {SqlText.Literal(Step.Id.ToString())}, " +
                        $"{(Tracked ? "true" : "false")}, false, NULL, NULL)", true));
        if (MaterializationSql.Indexes(Project, Step) is { Length: > 0 } indexes) statements.Add((indexes.TrimEnd('\n', ';'), false));
        if (HandlesSoftDeletes)
        {
            statements.Add((Logged($"DELETE FROM {Target} AS t USING {DeletedKeys} AS d WHERE t.{Key} = d.{Key}"), true));
            statements.Add(($"DROP TABLE {DeletedKeys}", false));
        }
        if (Reconciles && fullLoad) statements.Add((RecountSql, false));
        statements.Add(($"DROP TABLE {Rows}", false));
        return statements;
    }

    /// <summary>What <c>engine render</c> shows: every statement, the watermark as the expression it is read from.</summary>
    public string Describe(bool fullRefresh)
    {
        var text = new StringBuilder(MaterializationSql.Settings(Project));
        var watermark = Config.Cursor is null || fullRefresh
            ? null
            : $"(SELECT value FROM {Project.MetaSchema.Quoted}.watermarks WHERE step = {SqlText.Literal(Step.Id.ToString())})";
        text.Append($"-- {Step.Id}: extract from source '{Source.Name}' {SourceTable} by key {Config.Key}")
            .Append(Config.Cursor is null ? ", whole table" : $", incremental on {Config.Cursor}")
            .Append($", deletes: {Config.Deletes.ToString().ToLowerInvariant()}\n")
            .Append("-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)\n")
            .Append($"-- source: COPY ({SourceQuery(watermark is null ? null : "<watermark>")}) TO STDOUT (FORMAT BINARY)\n")
            .Append(watermark is null ? "" : $"-- <watermark>: {watermark}, read in this transaction; absent on the first run (everything is copied)\n" +
                                             $"-- only rows after it (> <watermark>) when the rows at it are unchanged: ({AtWatermarkQuery("<watermark>")}) equals its stored at_watermark\n")
            .Append(Config.Cursor is not null ? "" : $"-- skipped when the source's fingerprint ({FingerprintQuery}) equals the step's stored watermark;\n" +
                                                   "-- otherwise reloaded whole, and the fingerprint stored as the watermark in this transaction\n")
            .Append($"CREATE TEMP TABLE {Rows} (<the source's column types>) ON COMMIT DROP;\n")
            .Append($"COPY {Rows} ({string.Join(", ", Columns.Select(c => Identifier.Parse(c).Quoted))}) FROM STDIN (FORMAT BINARY);\n");
        foreach (var (sql, _) in MergeStatements(fullLoad: watermark is null)) text.Append(sql).Append(";\n");
        if (Config.Cursor is not null)
            text.Append($"-- {RecordAtWatermarkSql($"({AtWatermarkQuery("<the new watermark>")})")};   (read from the source)\n");
        if (Reconciles && watermark is not null)
            text.Append($"-- {AdjustCountSql("(<rows the merge inserted> - <rows the soft deletes removed>)")};\n");
        if (Reconciles && watermark is not null)
            text.Append($"-- hard deletes, when the source's count ({SourceCountQuery}) differs from staging's ({StagingRowsQuery}):\n")
                .Append($"-- source: COPY ({KeyQuery}) TO STDOUT (FORMAT BINARY) -> COPY {SourceKeys} FROM STDIN (FORMAT BINARY)\n")
                .Append(ReconcileSql).Append(";\n")
                .Append(RecountSql).Append(";\n");
        return text.ToString();
    }
}
