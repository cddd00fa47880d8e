using Lacrei.Engine.Meta;
using System.Text;
using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Sql;

/// <summary>
/// The SQL of an <c>extract</c> step, decided without a database: what to read from the source
/// (the watermark is filled in at run time, from the meta schema of the same transaction), and
/// how the copied rows are merged into staging. <see cref="Describe"/> is what <c>render</c> prints.
/// </summary>
public sealed record ExtractPlan(Project Project, StepConfig Step, ExtractConfig Config, ResolvedSource Source)
{

    /// <summary>The incremental steps that read this step's changes: when any do, it logs them.</summary>
    public System.Collections.Immutable.ImmutableArray<StepId> Consumers { get; init; } = [];

    private bool Tracked => !Consumers.IsEmpty;

    /// <summary>A delete on staging (aliased t) through the meta schema, which logs the deleted rows' images when tracked.</summary>
    private string Logged(string delete) => new ChangeLogs(Project.MetaSchema).Delete(Step.Id, delete, Tracked);

    private Watermarks Watermark => new(Project.MetaSchema, Step.Id);

    public string SourceTable => $"{Source.Schema.Quoted}.{Identifier.Parse(Config.Table).Quoted}";
    public string Target => Project.TableOf(Step);
    private string Key => Identifier.Parse(Config.Key).Quoted;

    /// <summary>Output column names in order: the listed columns, then the computed ones.</summary>
    public IReadOnlyList<string> Columns => [.. Config.Columns, .. Config.Expressions.Keys.Order(StringComparer.Ordinal)];

    public bool HandlesSoftDeletes => Config.Deletes != DeleteMode.None && Config.Columns.Contains(Config.SoftDeleteColumn);

    public string SelectList => string.Join(", ",
        Config.Columns.Select(c => Identifier.Parse(c).Quoted)
            .Concat(Config.Expressions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"({e.Value}) AS {Identifier.Parse(e.Key).Quoted}")));

    /// <summary>The source query: every row, or those whose cursor meets <paramref name="cursorCondition"/> (see <see cref="After"/>, <see cref="At"/>).</summary>
    public string SourceQuery(string? cursorCondition = null) =>
        $"SELECT {SelectList} FROM {SourceTable}" + (cursorCondition is null ? "" : $" WHERE {cursorCondition}");

    public string After(string watermarkLiteral) => $"{Cursor} > {watermarkLiteral}";

    public string At(string watermarkLiteral) => $"{Cursor} = {watermarkLiteral}";

    /// <summary>The fingerprint of the source rows whose cursor equals the given value, as extracted.</summary>
    public string AtWatermarkQuery(string watermarkLiteral) => Fingerprint($"({SourceQuery(At(watermarkLiteral))}) AS r");

    /// <summary>Whether any source row is after the watermark (an index lookup when the cursor is indexed).</summary>
    public string AnyAfterQuery(string watermarkLiteral) => $"SELECT EXISTS (SELECT 1 FROM {SourceTable} WHERE {After(watermarkLiteral)})";

    /// <summary>
    /// The look at the source (alongside the copy when there is one): the fingerprint of the rows at the
    /// watermark (changed in place: they are copied too) and, with <see cref="Reconciles"/>, the
    /// count of the rows staging should have (hard deletes). Both come from one pass over the
    /// table, which reads every row anyway, instead of looking up the rows at the watermark one
    /// by one and then counting. Columns: the count (NULL without reconcile), the fingerprint.
    /// </summary>
    public string LookQuery(string watermarkLiteral) => Reconciles
        ? $"SELECT {SourceCount}, {FingerprintAggregates($"r.{Cursor} = {watermarkLiteral}")} FROM ({SourceQuery()}) AS r"
        : $"SELECT NULL::bigint, ({AtWatermarkQuery(watermarkLiteral)})";

    /// <summary>
    /// After the rows at the watermark were copied again (they changed in place), the fingerprint
    /// the look read is theirs; it is recorded unless the watermark has moved on meanwhile.
    /// </summary>
    public string RecordAtWatermarkSql(string fingerprintLiteral, string watermarkValueLiteral) =>
        Watermark.SetAtWatermark(fingerprintLiteral, watermarkValueLiteral);

    private string Cursor => Identifier.Parse(Config.Cursor!).Quoted;

    /// <summary>COMMENT ON statements for the staging table's description, after the merge.</summary>
    public string Comments => MaterializationSql.Comments(Project, Step);

    /// <summary>Rows the source has that staging should have too (soft-deleted ones excluded), over rows <c>r</c>.</summary>
    private string SourceCount =>
        "count(*)" + (HandlesSoftDeletes ? $" FILTER (WHERE r.{Identifier.Parse(Config.SoftDeleteColumn).Quoted} IS NULL)" : "");

    /// <summary>Hard deletes: staging keys the source no longer has, after the source's keys were copied.</summary>
    public string ReconcileSql => Logged($"DELETE FROM {Target} AS t WHERE NOT EXISTS (SELECT 1 FROM {StepTables.SourceKeys} AS k WHERE k.{Key} = t.{Key})");

    public string KeyQuery => $"SELECT {Key} FROM {SourceTable}";

    /// <summary>Incremental runs find hard deletes by comparing counts, then streaming keys.</summary>
    public bool Reconciles => Config.Cursor is not null && Config.Deletes == DeleteMode.Reconcile;

    /// <summary>Staging's row count as recorded with the watermark (NULL before the first recount).</summary>
    public string StagingRowsQuery => Watermark.StagingRowsQuery;

    /// <summary>Re-records staging's row count, after a full load or a reconciliation.</summary>
    public string RecountSql => Watermark.RecountSql(Target);

    /// <summary>
    /// After an incremental merge: staging gained the keys the merge inserted and lost the
    /// soft-deleted rows it removed, so the recorded count stays exact without counting staging.
    /// </summary>
    public string AdjustCountSql(string change) => Watermark.AdjustCountSql(change);

    /// <summary>
    /// A table without a cursor is reloaded whole, unless it is unchanged: its fingerprint (see
    /// <see cref="Fingerprint"/>) is computed on the source and stored as the step's watermark.
    /// </summary>
    public string FingerprintQuery => Fingerprint($"({SourceQuery()}) AS r");

    /// <summary>
    /// The count and two 64-bit hash aggregates (independent of row order) of the rows' binary
    /// form (record_send): the same on source and target, whatever either session's TimeZone or
    /// DateStyle, and any type binary COPY can carry has one.
    /// </summary>
    private static string Fingerprint(string from) => $"SELECT {FingerprintAggregates()} FROM {from}";

    /// <summary>The fingerprint of rows <c>r</c> (those passing <paramref name="filter"/>), as one text value.</summary>
    private static string FingerprintAggregates(string? filter = null)
    {
        var only = filter is null ? "" : $" FILTER (WHERE {filter})";
        return $"count(*){only}::text || '/' || coalesce(sum(hash_record_extended(ROW(record_send(r)), 0)::numeric){only}, 0)::text" +
               $" || '/' || coalesce(bit_xor(hash_record_extended(ROW(record_send(r)), 1)){only}, 0)::text";
    }

    /// <summary>The statements after the copy, in the step's transaction. Row counts of the marked ones are the step's rows.</summary>
    /// <param name="moveWatermark">False for the rows at the watermark copied again: the watermark stays.</param>
    public IReadOnlyList<(string Sql, bool CountsRows)> MergeStatements(bool fullLoad, string? fingerprintLiteral = null, bool moveWatermark = true)
    {
        var statements = new List<(string, bool)>();
        if (fingerprintLiteral is not null) statements.Add((Watermark.SetValue(fingerprintLiteral), false));
        // The newest cursor copied is the watermark; every source row at it was copied too, so
        // their fingerprint (soft-deleted ones included, as the look reads them) comes from here.
        if (Config.Cursor is not null && moveWatermark)
            statements.Add((Watermark.SetFromCopiedRows(Cursor, Fingerprint($"{StepTables.Rows} AS r WHERE r.{Cursor} = w.m")), false));
        if (HandlesSoftDeletes)
        {
            var deleted = Identifier.Parse(Config.SoftDeleteColumn).Quoted;
            statements.Add(($"CREATE TEMP TABLE {StepTables.DeletedKeys} ON COMMIT DROP AS SELECT {Key} FROM {StepTables.Rows} WHERE {deleted} IS NOT NULL", false));
            statements.Add(($"DELETE FROM {StepTables.Rows} WHERE {deleted} IS NOT NULL", false));
        }
        if (Tracked) statements.Add((new ChangeLogs(Project.MetaSchema).ForgetConsumed(Step.Id, Consumers), false));
        // A full load is the whole source: keys it lacks leave staging (delete_missing).
        statements.Add((new MaterializeCall(Project, Step, MaterializeMode.Upsert, [Config.Key]) { DeleteMissing = fullLoad, Track = Tracked }.Sql, true));
        if (MaterializationSql.Indexes(Project, Step) is { Length: > 0 } indexes) statements.Add((indexes.TrimEnd('\n', ';'), false));
        if (HandlesSoftDeletes)
        {
            statements.Add((Logged($"DELETE FROM {Target} AS t USING {StepTables.DeletedKeys} AS d WHERE t.{Key} = d.{Key}"), true));
            statements.Add(($"DROP TABLE {StepTables.DeletedKeys}", false));
        }
        if (Reconciles && fullLoad) statements.Add((RecountSql, false));
        statements.Add(($"DROP TABLE {StepTables.Rows}", false));
        return statements;
    }

    /// <summary>What <c>engine render</c> shows: every statement, the watermark as the expression it is read from.</summary>
    public string Describe(bool fullRefresh)
    {
        var text = new StringBuilder(MaterializationSql.Settings(Project, Step));
        var watermark = Config.Cursor is null || fullRefresh ? null : Watermark.Expression;
        text.Append($"-- {Step.Id}: extract from source '{Source.Name}' {SourceTable} by key {Config.Key}")
            .Append(Config.Cursor is null ? ", whole table" : $", incremental on {Config.Cursor}")
            .Append($", deletes: {Config.Deletes.ToString().ToLowerInvariant()}\n")
            .Append("-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)\n")
            .Append($"-- source: COPY ({SourceQuery(watermark is null ? null : After("<watermark>"))}) TO STDOUT (FORMAT BINARY)\n")
            .Append(watermark is null ? "" : $"-- <watermark>: {watermark}, read in this transaction; absent on the first run (everything is copied)\n" +
                                             $"-- copied and merged only when the source has such rows: {AnyAfterQuery("<watermark>")}\n" +
                                             $"-- the look, in the same source snapshot (on a second connection alongside the copy when there are rows to copy): {LookQuery("<watermark>")}\n" +
                                             "-- when that fingerprint differs from the stored at_watermark, the rows at the watermark changed in place: " +
                                             $"COPY ({SourceQuery(At("<watermark>"))}) is merged the same way (the watermark stays), then " +
                                             $"{RecordAtWatermarkSql("<that fingerprint>", "<watermark>")}\n")
            .Append(Config.Cursor is not null ? "" : $"-- skipped when the source's fingerprint ({FingerprintQuery}) equals the step's stored watermark;\n" +
                                                   "-- otherwise reloaded whole, and the fingerprint stored as the watermark in this transaction\n")
            .Append($"CREATE TEMP TABLE {StepTables.Rows} (<the source's column types>) ON COMMIT DROP;\n")
            .Append($"COPY {StepTables.Rows} ({string.Join(", ", Columns.Select(c => Identifier.Parse(c).Quoted))}) FROM STDIN (FORMAT BINARY);\n");
        foreach (var (sql, _) in MergeStatements(fullLoad: watermark is null)) text.Append(sql).Append(";\n");
        if (Reconciles && watermark is not null)
            text.Append($"-- {AdjustCountSql("(<rows the merge inserted> - <rows the soft deletes removed>)")};\n");
        if (Reconciles && watermark is not null)
            text.Append($"-- hard deletes, when the source's count (the first column of the look above) differs from staging's ({StagingRowsQuery}):\n")
                .Append($"-- source: COPY ({KeyQuery}) TO STDOUT (FORMAT BINARY) -> COPY {StepTables.SourceKeys} FROM STDIN (FORMAT BINARY)\n")
                .Append(ReconcileSql).Append(";\n")
                .Append(RecountSql).Append(";\n");
        return text.ToString();
    }
}
