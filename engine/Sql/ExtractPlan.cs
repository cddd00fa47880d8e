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

    /// <summary>The incremental steps that read this step's changes, and what its log keeps: when any do, it logs them.</summary>
    public ChangeLogReaders? Readers { get; init; }

    private bool Tracked => Readers is not null;

    /// <summary>A delete on staging (aliased t) through the meta schema, which logs the deleted rows' images when tracked.</summary>
    private string Logged(string delete) => new ChangeLogs(Project.MetaSchema).Delete(Step.Id, delete, Tracked);

    private Watermarks Watermark => new(Project.MetaSchema, Step.Id);

    /// <summary>
    /// For a <c>people: true</c> step, in its transaction after the merge: the rows it deleted from
    /// staging (the people removed in the source), from the transaction's own statistics, no scan.
    /// </summary>
    public string ErasedPeopleQuery => $"SELECT pg_stat_get_xact_tuples_deleted(to_regclass({SqlText.Literal(Target)}))";

    public string SourceTable => $"{Source.Schema.Quoted}.{Identifier.Parse(Config.Table).Quoted}";
    public string Target => Project.TableOf(Step);
    private string Key => Identifier.Parse(Config.Key).Quoted;

    /// <summary>Output column names in order: the listed columns, then the computed ones.</summary>
    public IReadOnlyList<string> Columns => [.. Config.Columns, .. Config.Expressions.Keys.Order(StringComparer.Ordinal)];

    public bool HandlesSoftDeletes => Config.Deletes != DeleteMode.None && Config.Columns.Contains(Config.SoftDeleteColumn);

    public string SelectList => string.Join(", ",
        Config.Columns.Select(c => Identifier.Parse(c).Quoted)
            .Concat(Config.Expressions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"({e.Value}) AS {Identifier.Parse(e.Key).Quoted}")));

    /// <summary>The source query over rows <c>r</c>: every row, or those meeting <paramref name="condition"/>.</summary>
    public string SourceQuery(string? condition = null) =>
        $"SELECT {SelectList} FROM {SourceTable} AS r" + (condition is null ? "" : $" WHERE {condition}");

    /// <summary>
    /// Changed rows (<paramref name="changed"/>: <see cref="ChangedRows.Condition"/>) whose cursor is
    /// after the watermark: where honest changes are, found by the cursor's index.
    /// </summary>
    public string After(string watermarkLiteral, string changed) => $"{Cursor} > {watermarkLiteral} AND {changed}";

    /// <summary>
    /// The other changed rows: a cursor at or before the watermark (late commits, cursors not moved
    /// or moved back), NULL, or every changed row when there is no watermark.
    /// </summary>
    public string NotAfter(string? watermarkLiteral, string changed) =>
        (watermarkLiteral is null ? "" : $"({Cursor} > {watermarkLiteral}) IS NOT TRUE AND ") + changed;

    /// <summary>Whether any changed row is after the watermark (an index range when the cursor is indexed).</summary>
    public string AnyAfter(string watermarkLiteral, string changed) => $"EXISTS (SELECT 1 FROM {SourceTable} AS r WHERE {After(watermarkLiteral, changed)})";

    /// <summary>
    /// One round trip before the look, in the snapshot the step reads: where the source stands
    /// (<see cref="ChangedRows.StateColumns"/>), its clock as text for the cursor, whether a plain
    /// btree index leads with the cursor and, if so, the rows whose cursor is NULL, infinite or in
    /// the future counted by it (else NULL: the look counts them), <paramref name="anyAfter"/>
    /// (<see cref="AnyAfter"/>; false without one), and with a cursor <see cref="MostRowsColumn"/>
    /// (a table without one is reloaded whole, never read by <see cref="CopyingChangedLookQuery"/>).
    /// </summary>
    public string StateQuery(string? cursorType, string? anyAfter) => cursorType is null
        ? $"SELECT {ChangedRows.StateColumns(SqlText.Literal(SourceTable))}, NULL::text, false, NULL::bigint, false, NULL::bigint"
        : $"SELECT {ChangedRows.StateColumns(SqlText.Literal(SourceTable))}, {ChangedRows.ClockText(cursorType) ?? "NULL::text"}, i.indexed, " +
          $"CASE WHEN i.indexed THEN ({FlaggedQuery(ChangedRows.Clock(cursorType))}) END, {anyAfter ?? "false"}, {MostRowsColumn} " +
          // OFFSET 0: the index check is planned and run once, not once per use.
          "FROM (SELECT EXISTS (SELECT 1 FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_am AS m ON m.oid = c.relam " +
          "JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] " +
          $"WHERE i.indrelid = to_regclass({SqlText.Literal(SourceTable)}) AND a.attname = {SqlText.Literal(Config.Cursor!)} " +
          "AND m.amname = 'btree' AND i.indpred IS NULL AND i.indisvalid) AS indexed OFFSET 0) AS i";

    /// <summary>
    /// The most rows the source table, its partitions and children may hold, as far as the catalog
    /// knows without reading them: each one's row estimate, or, never analysed, its pages times the
    /// most tuples a page can hold.
    /// </summary>
    private string MostRowsColumn =>
        $"({ChangedRows.WithTables(SqlText.Literal(SourceTable))} " +
        "SELECT sum(CASE WHEN c.reltuples >= 0 THEN c.reltuples ELSE pg_relation_size(c.oid) / 8192 * 291 END)::bigint FROM t JOIN pg_class AS c ON c.oid = t.oid)";

    /// <summary>
    /// Up to how many rows a source table is read by <see cref="CopyingChangedLookQuery"/>: the
    /// addresses of its changed rows are gathered in one array, and an array holds at most 2^30 - 1
    /// bytes (six per address); a hundred million rows keep every change of any run well below.
    /// </summary>
    public const long OnePassMostRows = 100_000_000;

    /// <summary>
    /// The look at the source, one pass over the table (alongside the copy when there is one):
    /// with <see cref="Reconciles"/> the count of the rows staging should have (hard deletes), the
    /// changed rows (less those after the watermark, copied by index: the others are copied next),
    /// and, when <paramref name="flagged"/> is given, the rows it selects (<see cref="FlaggedQuery"/>:
    /// by the cursor's index when it has one, instead).
    /// </summary>
    public string LookQuery(string changed, string? flagged) =>
        $"SELECT {SourceRowsColumn}, count(*) FILTER (WHERE {changed}) AS lp_changed, {FlaggedColumn(flagged)} FROM {SourceTable} AS r";

    private string SourceRowsColumn => $"{(Reconciles ? SourceCount : "NULL::bigint")} AS lp_source_rows";

    private static string FlaggedColumn(string? flagged) => $"{(flagged is null ? "NULL::bigint" : $"count(*) FILTER (WHERE {flagged})")} AS lp_flagged";

    /// <summary>
    /// The same database, a table of at most <see cref="OnePassMostRows"/> rows: the look and the
    /// copy of every changed row, whatever its cursor, in one pass and one statement (so one
    /// snapshot). The pass gathers the changed rows' addresses (ctid) as it counts; the copy then
    /// reads just those (a TID scan). Its snapshot keeps every version it saw in place until it ends,
    /// so each address still holds the row the pass counted. An address is unique within one table
    /// only: with partitions or children, another table's row at the same address is copied too, an
    /// unchanged row that the merge leaves as it is. Copying by the cursor's index first and
    /// redoing the copy when the look found changed rows behind the watermark read the table three
    /// times whenever an update left updated_at behind (at 1,000,000 appointments, ~280 ms against ~100).
    /// </summary>
    public string CopyingChangedLookQuery(string changed, string? flagged) =>
        // The changed rows are counted as their addresses, so that the test (two age() a row) runs once.
        "WITH lp_look AS MATERIALIZED (SELECT l.lp_source_rows, coalesce(cardinality(l.lp_rows), 0)::bigint AS lp_changed, l.lp_flagged, l.lp_rows " +
        $"FROM (SELECT {SourceRowsColumn}, {FlaggedColumn(flagged)}, array_agg(r.ctid) FILTER (WHERE {changed}) AS lp_rows FROM {SourceTable} AS r) AS l), " +
        $"copied AS (INSERT INTO {StepTables.Rows} ({ColumnList}) {SourceQuery("r.ctid = ANY ((SELECT l.lp_rows FROM lp_look AS l)::tid[])")} RETURNING 1) " +
        "SELECT l.lp_source_rows, l.lp_changed, l.lp_flagged, (SELECT count(*) FROM copied) FROM lp_look AS l";

    /// <summary>The rows whose cursor is NULL, infinite or after the clock, counted by the cursor's index (three ranges of it; only read when there is one).</summary>
    public string FlaggedQuery(string? clock) =>
        $"SELECT count(*) FROM {SourceTable} AS r WHERE {Cursor} IS NULL" + (clock is null ? "" : $" OR {Cursor} > {clock} OR {Cursor} = '-infinity'");

    /// <summary>
    /// The same-database fallback: the look and the copy of <paramref name="condition"/>'s rows into
    /// the step's rows in one statement, so both see one snapshot; the copied rows' count follows.
    /// </summary>
    public string CopyingLookQuery(string look, string condition) =>
        $"WITH copied AS (INSERT INTO {StepTables.Rows} ({ColumnList}) {SourceQuery(condition)} RETURNING 1) " +
        $"SELECT l.*, (SELECT count(*) FROM copied) FROM ({look}) AS l";

    /// <summary>Rows <c>r</c> whose cursor is NULL or, with the source's <paramref name="clock"/>, infinite or after it.</summary>
    public string Flagged(string? clock) => clock is null ? $"{Cursor} IS NULL" : $"({Cursor} > '-infinity' AND {Cursor} <= {clock}) IS NOT TRUE";

    /// <summary>The step's columns, quoted, in order.</summary>
    public string ColumnList => string.Join(", ", Columns.Select(c => Identifier.Parse(c).Quoted));

    /// <summary>The cursor column of rows <c>r</c>.</summary>
    private string Cursor => $"r.{CursorName}";

    private string CursorName => Identifier.Parse(Config.Cursor!).Quoted;

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
    /// A table without a cursor is reloaded whole, unless it is unchanged: no row written since the
    /// last extraction's snapshot (<paramref name="changed"/>) and as many rows as staging has.
    /// Columns as <see cref="LookQuery"/>: the count, the changed rows, no flagged cursors.
    /// </summary>
    public string WholeTableLookQuery(string changed) => $"SELECT count(*), count(*) FILTER (WHERE {changed}), NULL::bigint FROM {SourceTable} AS r";

    /// <summary>The statements after the copy, in the step's transaction. Row counts of the marked ones are the step's rows.</summary>
    /// <param name="watermark">For a step with a cursor: how the watermark moves (<see cref="WatermarkMove"/>).</param>
    /// <param name="recreate">Drop and recreate staging first: the source's column types changed (a full refresh only).</param>
    public IReadOnlyList<(string Sql, bool CountsRows)> MergeStatements(bool fullLoad, WatermarkMove? watermark = null, bool recreate = false)
    {
        var statements = new List<(string, bool)>();
        // Before the soft-deleted rows leave the copied ones: every copied cursor counts.
        if (Config.Cursor is not null && watermark is not null)
            statements.Add((Watermark.SetFromCopiedRows(CursorName, watermark.Clock, fullLoad ? null : watermark.Previous), false));
        if (HandlesSoftDeletes)
        {
            var deleted = Identifier.Parse(Config.SoftDeleteColumn).Quoted;
            statements.Add(($"CREATE TEMP TABLE {StepTables.DeletedKeys} ON COMMIT DROP AS SELECT {Key} FROM {StepTables.Rows} WHERE {deleted} IS NOT NULL", false));
            statements.Add(($"DELETE FROM {StepTables.Rows} WHERE {deleted} IS NOT NULL", false));
        }
        if (Readers is { } readers)
        {
            statements.Add((new ChangeLogs(Project.MetaSchema).KeepColumns(Step.Id, readers.Columns), false));
            statements.Add((new ChangeLogs(Project.MetaSchema).ForgetConsumed(Step.Id, readers.Consumers), false));
        }
        // A full load is the whole source: keys it lacks leave staging (delete_missing).
        statements.Add((new MaterializeCall(Project, Step, MaterializeMode.Upsert, [Config.Key])
            { DeleteMissing = fullLoad, Track = Tracked, FullRefresh = recreate }.Sql, true));
        if (HandlesSoftDeletes)
        {
            statements.Add((Logged($"DELETE FROM {Target} AS t USING {StepTables.DeletedKeys} AS d WHERE t.{Key} = d.{Key}"), true));
            statements.Add(($"DROP TABLE {StepTables.DeletedKeys}", false));
        }
        if (Reconciles && fullLoad) statements.Add((RecountSql, false));
        statements.Add(($"DROP TABLE {StepTables.Rows}", false));
        return statements;
    }

    /// <summary>Records where the source stood when the step read it (the next run's horizon), in the step's transaction.</summary>
    /// <param name="countStaging">Record staging's row count too (a whole table, just reloaded).</param>
    public string RecordSourceSql(SourceState state, bool countStaging = false) => Watermark.SetSourceState(state, countStaging ? Target : null);

    /// <summary>The watermark of a step that copied rows, as the step's transaction writes it.</summary>
    public WatermarkMove MoveWatermark(string? clockLiteral, string cursorType) => new(clockLiteral, Watermark.ValueAs(cursorType));

    /// <summary>What <c>engine render</c> shows: every statement, the watermark as the expression it is read from.</summary>
    public string Describe(bool fullRefresh)
    {
        var text = new StringBuilder(MaterializationSql.Settings(Project, Step));
        var incremental = Config.Cursor is not null && !fullRefresh;
        text.Append($"-- {Step.Id}: extract from source '{Source.Name}' {SourceTable} by key {Config.Key}")
            .Append(Config.Cursor is null ? ", whole table" : $", incremental on {Config.Cursor}, exact (changes found by the transaction that wrote each row)")
            .Append($", deletes: {Config.Deletes.ToString().ToLowerInvariant()}\n")
            .Append("-- rows stream from the source with binary COPY (INSERT ... SELECT when the source is this database)\n");
        const string changed = "<changed>";
        if (incremental)
            text.Append("-- <horizon>: the xmin of the source snapshot the last extraction read, stored with the watermark; ")
                .Append("without one (first run), or from another source cluster or table, everything is copied\n")
                .Append($"-- <changed>: written since <horizon>: {ChangedRows.Condition("<horizon>")}\n")
                .Append($"-- <watermark>: {Watermark.Expression}, never past the source's clock\n")
                .Append($"-- source: COPY ({SourceQuery(After("<watermark>", changed))}) TO STDOUT (FORMAT BINARY)\n")
                .Append($"-- copied only when any: SELECT {AnyAfter("<watermark>", changed)}\n")
                .Append($"-- the look, in the same source snapshot (alongside the copy when there is one): {LookQuery(changed, "<flagged>")}\n")
                .Append("-- its second column less the rows copied above counts the changed rows not after the watermark (late commits, cursors not moved, moved back or NULL): ")
                .Append($"when any, COPY ({SourceQuery(NotAfter("<watermark>", changed))}) is merged the same way; ")
                .Append($"its third counts the rows whose cursor is NULL, infinite or after the source's clock, <flagged>: {Flagged("<the source's clock>")}, a warning in the run result; ")
                .Append($"when the cursor has an index, they are counted by it instead: {FlaggedQuery("<the source's clock>")}\n")
                .Append($"-- when the source is this database and the table has at most {OnePassMostRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} rows, instead of all the above, one pass: ")
                .Append($"{CopyingChangedLookQuery(changed, "<flagged>")}\n");
        else
            text.Append($"-- source: COPY ({SourceQuery()}) TO STDOUT (FORMAT BINARY)\n");
        if (Config.Cursor is null)
            text.Append($"-- <changed>: written since <horizon> (the xmin of the source snapshot the last extraction read): {ChangedRows.Condition("<horizon>")}\n")
                .Append($"-- skipped when no row changed and the count is staging's as recorded: {WholeTableLookQuery(changed)};\n")
                .Append("-- otherwise reloaded whole (also on the first run, or from another source cluster or table)\n");
        text.Append($"CREATE TEMP TABLE {StepTables.Rows} (<the source's column types>) ON COMMIT DROP;\n")
            .Append($"COPY {StepTables.Rows} ({ColumnList}) FROM STDIN (FORMAT BINARY);\n");
        // Rendering has no source: its clock is shown as this server's (a run reads the source's).
        var move = Config.Cursor is null ? null : new WatermarkMove("statement_timestamp()", incremental ? "<the stored watermark, as the cursor's type>" : null);
        foreach (var (sql, _) in MergeStatements(fullLoad: !incremental, watermark: move)) text.Append(sql).Append(";\n");
        text.Append($"-- {Watermark.SetSourceState("<this snapshot's xmin>", "<system identifier>", "<table oids>", Config.Cursor is null ? Target : null)};\n");
        if (Reconciles && incremental)
            text.Append($"-- {AdjustCountSql("(<rows the merge inserted> - <rows the soft deletes removed>)")};\n")
                .Append($"-- hard deletes, when the source's count (the first column of the look above) differs from staging's ({StagingRowsQuery}):\n")
                .Append($"-- source: COPY ({KeyQuery}) TO STDOUT (FORMAT BINARY) -> COPY {StepTables.SourceKeys} FROM STDIN (FORMAT BINARY)\n")
                .Append(ReconcileSql).Append(";\n")
                .Append(RecountSql).Append(";\n");
        return text.ToString();
    }
}

/// <summary>
/// How an extract step's watermark moves after a copy: to the newest copied cursor not past
/// <paramref name="Clock"/> (the source's clock as a literal of the cursor's type; null when the
/// cursor is not a time), unless <paramref name="Previous"/> (the stored one, as SQL) is newer.
/// </summary>
public sealed record WatermarkMove(string? Clock, string? Previous);
