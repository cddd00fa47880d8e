using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Sql;
using Npgsql;

namespace Lacrei.Engine.Extraction;

/// <summary>Raised when the source cannot be read as declared: names the source, table and column.</summary>
public sealed class SourceException(string message, string? hint = null) : Exception(message)
{
    public string? Hint { get; } = hint;
}

/// <summary>
/// What an extract step did: the rows it wrote, and how many source rows have a cursor that is
/// NULL, infinite or after the source's clock (SPEC §9.2: extracted, and a warning).
/// </summary>
public sealed record ExtractOutcome(long Rows, long Flagged, string? Cursor)
{
    /// <summary>No row was written on the source since the stored horizon: it still holds.</summary>
    public bool SourceUnchanged { get; init; }

    public string? Warning => Flagged switch
    {
        0 => null,
        1 => $"1 source row has a cursor ({Cursor}) in the future, infinite or NULL: it is extracted, but its cursor says nothing of when it changed",
        _ => $"{Flagged} source rows have a cursor ({Cursor}) in the future, infinite or NULL: they are extracted, but their cursor says nothing of when they changed",
    };
}

/// <summary>
/// Runs an <c>extract</c> step inside the target transaction: rows stream from the source by
/// binary COPY into a step-local table (nothing is held in memory), then merge into staging by
/// key with the watermark and deletes, all committed together.
/// <para>
/// Exact (SPEC §9.2): a step with a cursor copies the rows written since the source snapshot it
/// read last (<see cref="ChangedRows"/>), whatever their cursor says; the cursor only tells where
/// most of them are (after the watermark, by its index), and a pass over the table that counts
/// rows for hard deletes finds the others. A table without a cursor is reloaded whole when a row
/// was written since, or its count differs.
/// </para>
/// </summary>
public sealed class Extractor(SourceConnections sources, bool fullRefresh)
{
    /// <param name="executed">Collects the statements the meta schema's procedures executed for the step.</param>
    public async Task<ExtractOutcome> RunAsync(NpgsqlConnection target, NpgsqlTransaction transaction, ExtractPlan plan, ICollection<string> executed, CancellationToken ct)
    {
        var sourceData = sources.For(plan.Source);
        await using var source = sourceData is null ? null : await OpenSourceAsync(sourceData, plan, ct);
        return await ExtractAsync(source, target, transaction, plan, executed, ct);
    }

    private async Task<ExtractOutcome> ExtractAsync(SourceSnapshot? source, NpgsqlConnection target, NpgsqlTransaction transaction, ExtractPlan plan,
        ICollection<string> executed, CancellationToken ct)
    {
        if (MaterializationSql.Settings(plan.Project, plan.Step) is { Length: > 0 } settings) await ExecuteAsync(target, transaction, settings, ct);
        var (reader, readerTransaction) = source is null ? (target, transaction) : (source.Connection, (NpgsqlTransaction?)null);
        var columns = await SourceColumns.ReadAsync(reader, readerTransaction, plan, ct);
        var step = new ExtractStep(source, target, transaction, plan, columns, executed);
        // A type that changed is never loaded by converting values: a full refresh rebuilds staging.
        var changedTypes = await SourceColumns.ChangedAsync(target, transaction, plan, columns, ct);
        if (changedTypes is not null && !fullRefresh)
            throw new SourceException(changedTypes, $"engine run --full-refresh --only {plan.Step.Id} rebuilds the table with the source's types and reloads it");
        var recreate = changedTypes is not null;
        // No table yet (first run, or dropped): whatever watermark is stored no longer describes it.
        var stored = fullRefresh ? new StoredWatermark(false, null, null, null)
            : await new Watermarks(plan.Project.MetaSchema, plan.Step.Id).ReadAsync(target, transaction, plan.Target, ct);

        if (plan.Config.Cursor is not { } cursor) return await WholeTableAsync(step, stored, recreate, ct);

        var cursorType = columns[cursor];
        var watermark = stored.Value is { } w ? $"{SqlText.Literal(w)}::{cursorType}" : null;
        var changed = stored.Source is { } had ? ChangedRows.Condition(had.Horizon) : null;
        var view = await ViewAsync(step, cursorType, source is not null && watermark is not null && changed is not null ? plan.AnyAfter(watermark, changed) : null, ct);
        // Transaction ids compare only within one cluster and one table (not one restored elsewhere,
        // nor a table renamed into its place): otherwise, and on the first run, everything is copied.
        var outcome = stored.Source is { } was && was.System == view.State.System && was.Relations == view.State.Relations && !recreate
            ? await IncrementalAsync(step, new Increment(watermark, changed!, view, cursorType), ct)
            : await FullLoadAsync(step, view, recreate, ct);
        // Nothing written since the stored horizon: it still holds, and the row is not rewritten.
        return await FinishAsync(step, outcome with { Cursor = cursor }, ct, outcome.SourceUnchanged ? null : plan.RecordSourceSql(view.State));
    }

    /// <summary>
    /// A table without a cursor: skipped when no row was written since the stored horizon and the
    /// source has as many rows as staging (then nothing was deleted either); otherwise reloaded whole.
    /// </summary>
    private static async Task<ExtractOutcome> WholeTableAsync(ExtractStep step, StoredWatermark stored, bool recreate, CancellationToken ct)
    {
        var plan = step.Plan;
        var view = await ViewAsync(step, null, null, ct);
        if (stored.Source is { } was && was.System == view.State.System && was.Relations == view.State.Relations && !recreate && stored.StagingRows is { } rows)
        {
            var (connection, transaction) = step.Reader;
            var seen = await ExtractStep.LookAsync(connection, transaction, plan.WholeTableLookQuery(ChangedRows.Condition(was.Horizon)), ct);
            if (seen.Changed == 0 && seen.SourceCount == rows) return await FinishAsync(step, new ExtractOutcome(0, 0, null), ct);
        }
        var reloaded = (await step.CopyAndMergeAsync(plan.SourceQuery(), plan.MergeStatements(fullLoad: true, recreate: recreate), ct)).Rows;
        return await FinishAsync(step, new ExtractOutcome(reloaded, 0, null), ct, plan.RecordSourceSql(view.State, countStaging: true));
    }

    /// <summary>Every source row, merged with deletes of the keys it lacks; the watermark starts afresh.</summary>
    private static async Task<ExtractOutcome> FullLoadAsync(ExtractStep step, SourceView view, bool recreate, CancellationToken ct)
    {
        await step.CreateRowsAsync(ct);
        await step.CopyAsync(step.Plan.SourceQuery(), ct);
        // Without an index on the cursor, the copied rows are counted instead of the source's.
        var flagged = view.IndexedFlagged
            ?? await step.TargetScalarAsync<long>($"SELECT count(*) FROM {StepTables.Rows} AS r WHERE {step.Plan.Flagged(view.Clock)}", ct);
        var (rows, _) = await step.MergeAsync(step.Plan.MergeStatements(fullLoad: true, watermark: new WatermarkMove(view.Clock, null), recreate: recreate), ct);
        return new ExtractOutcome(rows, flagged, null);
    }

    /// <summary>
    /// What the step sees of the source before the look (<see cref="ExtractPlan.StateQuery"/>): where
    /// it stands, its clock as a literal of the cursor's type (null when not a time), the rows whose
    /// cursor is NULL, infinite or in the future when the cursor's index counted them, and whether
    /// any changed row is after the watermark.
    /// </summary>
    private sealed record SourceView(SourceState State, string? Clock, long? IndexedFlagged, bool AnyAfter, long? MostRows)
    {
        /// <summary>Small enough for <see cref="ExtractPlan.CopyingChangedLookQuery"/>.</summary>
        public bool OnePass => MostRows <= ExtractPlan.OnePassMostRows;
    }

    /// <summary>
    /// What an incremental run goes from: the watermark (a literal of the cursor's type, null when
    /// none), the rows changed since the stored horizon (<see cref="ChangedRows.Condition(long)"/>), and the view.
    /// </summary>
    private sealed record Increment(string? Watermark, string Changed, SourceView View, string CursorType)
    {
        public string? Clock => View.Clock;
    }

    /// <summary>
    /// The rows written since the horizon: those after the watermark first (an index range), while
    /// the look counts every changed row in one pass over the table; when there are more than
    /// were copied, the others are copied next, in the same snapshot. Then the hard deletes.
    /// </summary>
    private static async Task<ExtractOutcome> IncrementalAsync(ExtractStep step, Increment from, CancellationToken ct)
    {
        var plan = step.Plan;
        var changed = from.Changed;
        // Rows with a NULL or future cursor are few: counted by the cursor's index when it has one.
        var flagged = from.View.IndexedFlagged is null ? plan.Flagged(from.Clock) : null;
        var look = plan.LookQuery(changed, flagged);
        var merge = plan.MergeStatements(fullLoad: false, watermark: plan.MoveWatermark(from.Clock, from.CursorType));
        if (step.Source is null) return await SameDatabaseAsync(step, from, changed, flagged, look, merge, ct);

        var after = from.View.AnyAfter;
        // With rows to copy, the look runs on a second connection in the same snapshot while they
        // are copied and merged here; with none, it simply follows.
        var alongside = after ? await step.Source.StartAlongsideAsync(other => ExtractStep.LookAsync(other, null, look, ct), ct) : null;
        try
        {
            long rows = 0, stagingChange = 0, copied = 0;
            if (after)
            {
                await step.CreateRowsAsync(ct);
                await step.CopyAsync(plan.SourceQuery(plan.After(from.Watermark!, changed)), ct);
                copied = await step.TargetScalarAsync<long>($"SELECT count(*) FROM {StepTables.Rows}", ct);
                (rows, stagingChange) = await step.MergeAsync(merge, ct);
            }
            var seen = alongside is null ? await ExtractStep.LookAsync(step.Source.Connection, null, look, ct) : await alongside;
            if (seen.Changed > copied)
            {
                var (more, change) = await step.CopyAndMergeAsync(plan.SourceQuery(plan.NotAfter(from.Watermark, changed)), merge, ct);
                (rows, stagingChange) = (rows + more, stagingChange + change);
            }
            if (seen.SourceCount is { } counted) rows += await step.ReconcileAsync(counted, stagingChange, ct);
            return new ExtractOutcome(rows, seen.Flagged ?? from.View.IndexedFlagged ?? 0, null) { SourceUnchanged = seen.Changed == 0 };
        }
        finally
        {
            // Never end the snapshot while the second connection still reads it.
            if (alongside is not null) await Task.WhenAny(alongside);
        }
    }

    /// <summary>
    /// The source is this database, read in the step's (READ COMMITTED) transaction: the copy and
    /// the look are one statement so that both see one snapshot. A table up to a hundred million
    /// rows is read once, copying every changed row (<see cref="ExtractPlan.CopyingChangedLookQuery"/>). Otherwise the
    /// copy takes the changed rows after the watermark by the cursor's index; when the look finds
    /// others, both are done again, taking every changed row.
    /// </summary>
    private static async Task<ExtractOutcome> SameDatabaseAsync(ExtractStep step, Increment from, string changed, string? flagged, string look,
        IReadOnlyList<(string Sql, bool CountsRows)> merge, CancellationToken ct)
    {
        var plan = step.Plan;
        await step.CreateRowsAsync(ct);
        var (connection, transaction) = step.Reader;
        var seen = await ExtractStep.LookAsync(connection, transaction, from.View.OnePass
            ? plan.CopyingChangedLookQuery(changed, flagged)
            : plan.CopyingLookQuery(look, from.Watermark is null ? "false" : plan.After(from.Watermark, changed)), ct);
        if (seen.Changed > seen.Copied)
        {
            await step.ExecuteAsync($"TRUNCATE {StepTables.Rows}", ct);
            seen = await ExtractStep.LookAsync(connection, transaction, plan.CopyingLookQuery(look, changed), ct);
        }
        long rows = 0, stagingChange = 0;
        if (seen.Copied > 0) (rows, stagingChange) = await step.MergeAsync(merge, ct);
        else await step.ExecuteAsync($"DROP TABLE {StepTables.Rows}", ct);
        if (seen.SourceCount is { } counted) rows += await step.ReconcileAsync(counted, stagingChange, ct);
        return new ExtractOutcome(rows, seen.Flagged ?? from.View.IndexedFlagged ?? 0, null) { SourceUnchanged = seen.Changed == 0 };
    }

    /// <summary>What the step sees of the source before the look, in one round trip (<see cref="ExtractPlan.StateQuery"/>).</summary>
    private static async Task<SourceView> ViewAsync(ExtractStep step, string? cursorType, string? anyAfter, CancellationToken ct)
    {
        var (connection, transaction) = step.Reader;
        await using var command = new NpgsqlCommand(step.Plan.StateQuery(cursorType, anyAfter), connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SourceView(new SourceState(reader.GetInt64(2), reader.GetString(0), reader.GetString(1)),
            reader.IsDBNull(3) ? null : $"{SqlText.Literal(reader.GetString(3))}::{cursorType}",
            reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetInt64(7));
    }

    /// <summary>The step's last statements, in one round trip: where the source stood (with a cursor), and the comments.</summary>
    private static async Task<ExtractOutcome> FinishAsync(ExtractStep step, ExtractOutcome outcome, CancellationToken ct, string? recordSource = null)
    {
        var last = string.Join(";\n", new[] { recordSource, step.Plan.Comments.Length > 0 ? step.Plan.Comments : null }.OfType<string>());
        if (last.Length > 0) await step.ExecuteAsync(last, ct);
        return outcome;
    }

    private static async Task<SourceSnapshot> OpenSourceAsync(NpgsqlDataSource dataSource, ExtractPlan plan, CancellationToken ct)
    {
        try
        {
            return await SourceSnapshot.BeginAsync(dataSource, ct);
        }
        catch (NpgsqlException e) when (e is not PostgresException || ((PostgresException)e).SqlState.StartsWith("28") || ((PostgresException)e).SqlState == "3D000")
        {
            throw new SourceException($"source '{plan.Source.Name}' is unreachable: {e.Message}",
                $"check {plan.Source.ConnectionEnvVar} (a postgres:// URL)");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
