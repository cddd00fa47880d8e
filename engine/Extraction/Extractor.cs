using Lacrei.Engine.Meta;
using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;
using Npgsql;
using Lacrei.Engine.Sql;

namespace Lacrei.Engine.Extraction;

/// <summary>Raised when the source cannot be read as declared: names the source, table and column.</summary>
public sealed class SourceException(string message, string? hint = null) : Exception(message)
{
    public string? Hint { get; } = hint;
}

/// <summary>
/// Runs an <c>extract</c> step inside the target transaction: rows stream from the source by
/// binary COPY into a step-local table (nothing is held in memory), then merge into staging by
/// key with the watermark and deletes, all committed together.
/// </summary>
public sealed class Extractor(SourceConnections sources, bool fullRefresh)
{
    /// <param name="executed">Collects the statements the meta schema's procedures executed for the step.</param>
    public async Task<long> RunAsync(NpgsqlConnection target, NpgsqlTransaction transaction, ExtractPlan plan, ICollection<string> executed, CancellationToken ct)
    {
        var sourceData = sources.For(plan.Source);
        await using var source = sourceData is null ? null : await OpenSourceAsync(sourceData, plan, ct);
        return await ExtractAsync(source, target, transaction, plan, executed, ct);
    }

    private async Task<long> ExtractAsync(SourceSnapshot? source, NpgsqlConnection target, NpgsqlTransaction transaction, ExtractPlan plan,
        ICollection<string> executed, CancellationToken ct)
    {
        if (MaterializationSql.Settings(plan.Project, plan.Step) is { Length: > 0 } settings) await ExecuteAsync(target, transaction, settings, ct);
        var (reader, readerTransaction) = ReaderOf(source, target, transaction);
        var columns = await SourceColumnsAsync(reader, readerTransaction, plan, ct);
        // No table yet (first run, or dropped): whatever watermark is stored no longer describes it.
        var stored = fullRefresh ? default : await new Watermarks(plan.Project.MetaSchema, plan.Step.Id).ReadAsync(target, transaction, plan.Target, ct);

        if (plan.Config.Cursor is null)
        {
            // A whole table: reloaded unless its fingerprint is the stored one.
            var fingerprint = (await ScalarAsync<string>(reader, readerTransaction, plan.FingerprintQuery, ct))!; // an aggregate always answers
            var reloaded = stored.Value == fingerprint ? 0
                : (await CopyAndMergeAsync(source, target, transaction, plan, columns, plan.SourceQuery(), plan.MergeStatements(fullLoad: true, SqlText.Literal(fingerprint)), executed, ct)).Rows;
            return await FinishAsync(target, transaction, plan, reloaded, ct);
        }
        if (stored.Value is null)
        {
            var (loaded, _) = await CopyAndMergeAsync(source, target, transaction, plan, columns, plan.SourceQuery(), plan.MergeStatements(fullLoad: true), executed, ct);
            return await FinishAsync(target, transaction, plan, loaded, ct);
        }

        return await FinishAsync(target, transaction, plan, await IncrementalAsync(source, target, transaction, plan, columns, (stored.Value, stored.AtWatermark), executed, ct), ct);
    }

    /// <summary>Where the source is read: its own snapshot, or the step's transaction when it is this database.</summary>
    private static (NpgsqlConnection Connection, NpgsqlTransaction? Transaction) ReaderOf(SourceSnapshot? source, NpgsqlConnection target,
        NpgsqlTransaction transaction) => source is null ? (target, transaction) : (source.Connection, null);

    /// <summary>The rows after the stored watermark, those at it that changed in place, and the hard deletes.</summary>
    private static async Task<long> IncrementalAsync(SourceSnapshot? source, NpgsqlConnection target, NpgsqlTransaction transaction,
        ExtractPlan plan, Dictionary<string, string> columns, (string Value, string? AtWatermark) stored, ICollection<string> executed, CancellationToken ct)
    {
        var (reader, readerTransaction) = ReaderOf(source, target, transaction);
        var watermark = CursorLiteral(stored.Value, columns, plan);
        var anyAfter = await ScalarAsync<bool>(reader, readerTransaction, plan.AnyAfterQuery(watermark), ct);
        // The look (the rows at the watermark, the count for hard deletes) is one pass over the
        // source table. With rows to copy, it runs on a second connection in the same snapshot
        // while they are copied and merged here; with none, it simply follows.
        var look = anyAfter && source is not null ? await source.StartAlongsideAsync(other => LookAsync(other, null, plan.LookQuery(watermark), ct), ct) : null;
        try
        {
            long rows = 0, stagingChange = 0;
            if (anyAfter)
                (rows, stagingChange) = await CopyAndMergeAsync(source, target, transaction, plan, columns,
                    plan.SourceQuery(plan.After(watermark)), plan.MergeStatements(fullLoad: false), executed, ct);
            else if (MaterializationSql.Indexes(plan.Project, plan.Step) is { Length: > 0 } indexes)
                await ExecuteAsync(target, transaction, indexes, ct);

            var (sourceCount, atWatermark) = look is null ? await LookAsync(reader, readerTransaction, plan.LookQuery(watermark), ct) : await look;
            if (atWatermark != stored.AtWatermark)
            {
                // Rows at the watermark changed without their cursor moving (or some arrived late
                // at the same instant): they are merged too, and the watermark stays where it is.
                if (!atWatermark.StartsWith("0/", StringComparison.Ordinal))
                {
                    var (again, change) = await CopyAndMergeAsync(source, target, transaction, plan, columns,
                        plan.SourceQuery(plan.At(watermark)), plan.MergeStatements(fullLoad: false, moveWatermark: false), executed, ct);
                    (rows, stagingChange) = (rows + again, stagingChange + change);
                }
                await ExecuteAsync(target, transaction, plan.RecordAtWatermarkSql(SqlText.Literal(atWatermark), SqlText.Literal(stored.Value)), ct);
            }
            if (sourceCount is { } counted)
            {
                if (stagingChange != 0) await ExecuteAsync(target, transaction, plan.AdjustCountSql(stagingChange.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
                rows += await ReconcileAsync(source?.Connection, target, transaction, plan, columns, counted, executed, ct);
            }
            return rows;
        }
        finally
        {
            // Never end the snapshot while the second connection still reads it.
            if (look is not null) await Task.WhenAny(look);
        }
    }

    /// <summary>Copies the source's rows that <paramref name="query"/> selects and merges them into staging.</summary>
    /// <returns>The step's rows, and how many rows staging gained (keys inserted less soft deletes removed).</returns>
    private static async Task<(long Rows, long StagingChange)> CopyAndMergeAsync(SourceSnapshot? source, NpgsqlConnection target, NpgsqlTransaction transaction,
        ExtractPlan plan, Dictionary<string, string> columns, string query, IReadOnlyList<(string Sql, bool CountsRows)> merge,
        ICollection<string> executed, CancellationToken ct)
    {
        await ExecuteAsync(target, transaction,
            $"CREATE TEMP TABLE {StepTables.Rows} ({string.Join(", ", plan.Columns.Select(c => $"{Identifier.Parse(c).Quoted} {columns[c]}"))}) ON COMMIT DROP", ct);
        var columnList = string.Join(", ", plan.Columns.Select(c => Identifier.Parse(c).Quoted));
        await CopyAsync(source?.Connection, target, transaction, query, $"{StepTables.Rows} ({columnList})", ct);
        long rows = 0, stagingChange = 0;
        foreach (var (sql, countsRows) in merge)
        {
            var (affected, inserted) = await ExecuteCountingAsync(target, transaction, sql, executed, ct);
            if (countsRows) rows += affected;
            // The CALL reports the keys it inserted; the other counted statements are the soft deletes.
            stagingChange += inserted ?? (countsRows ? -affected : 0);
        }
        return (rows, stagingChange);
    }

    private static async Task<long> FinishAsync(NpgsqlConnection target, NpgsqlTransaction transaction, ExtractPlan plan, long rows, CancellationToken ct)
    {
        if (plan.Comments.Length > 0) await ExecuteAsync(target, transaction, plan.Comments, ct);
        return rows;
    }

    /// <summary>The look's answer: the source's count for hard deletes (null without reconcile) and the fingerprint at the watermark.</summary>
    private static async Task<(long? SourceCount, string AtWatermark)> LookAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetString(1));
    }

    /// <summary>
    /// Hard deletes. After the merge staging holds every source row, so a source count equal to
    /// staging's (recorded with the watermark, kept exact by every merge) means nothing was
    /// deleted and the key stream is skipped: a no-op run reads the source once, in one pass.
    /// Otherwise the source's keys stream over and staging keeps only those.
    /// </summary>
    private static async Task<long> ReconcileAsync(NpgsqlConnection? source, NpgsqlConnection target, NpgsqlTransaction transaction,
        ExtractPlan plan, Dictionary<string, string> columns, long sourceCount, ICollection<string> executed, CancellationToken ct)
    {
        if (await ScalarAsync<long?>(target, transaction, plan.StagingRowsQuery, ct) is not { } stagingCount)
        {
            await ExecuteAsync(target, transaction, plan.RecountSql, ct);
            stagingCount = await ScalarAsync<long?>(target, transaction, plan.StagingRowsQuery, ct) ?? -1;
        }
        if (sourceCount == stagingCount) return 0;
        var key = Identifier.Parse(plan.Config.Key).Quoted;
        await ExecuteAsync(target, transaction, $"CREATE TEMP TABLE {StepTables.SourceKeys} ({key} {columns[plan.Config.Key]}) ON COMMIT DROP", ct);
        await CopyAsync(source, target, transaction, plan.KeyQuery, $"{StepTables.SourceKeys} ({key})", ct);
        var (deleted, _) = await ExecuteCountingAsync(target, transaction, plan.ReconcileSql, executed, ct);
        await ExecuteAsync(target, transaction, $"DROP TABLE {StepTables.SourceKeys}", ct);
        await ExecuteAsync(target, transaction, plan.RecountSql, ct);
        return deleted;
    }

    /// <summary>The first column of the first row; default when there is no row or it is NULL.</summary>
    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        return await command.ExecuteScalarAsync(ct) is T value ? value : default;
    }

    /// <summary>Source to target: a binary COPY stream between two servers, or INSERT … SELECT within one.</summary>
    private static async Task CopyAsync(NpgsqlConnection? source, NpgsqlConnection target, NpgsqlTransaction transaction,
        string query, string into, CancellationToken ct)
    {
        if (source is null)
        {
            await ExecuteAsync(target, transaction, $"INSERT INTO {into} {query}", ct);
            return;
        }
        await using var outgoing = await source.BeginRawBinaryCopyAsync($"COPY ({query}) TO STDOUT (FORMAT BINARY)", ct);
        await using var incoming = await target.BeginRawBinaryCopyAsync($"COPY {into} FROM STDIN (FORMAT BINARY)", ct);
        await outgoing.CopyToAsync(incoming, 1 << 16, ct);
    }

    /// <summary>The declared columns' types as the source has them; a missing table or column is named.</summary>
    private static async Task<Dictionary<string, string>> SourceColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        ExtractPlan plan, CancellationToken ct)
    {
        var where = $"source '{plan.Source.Name}'";
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction) { Parameters = { new() { Value = plan.SourceTable } } })
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
                throw new SourceException($"{where}: table {plan.SourceTable} does not exist", "check the source schema and the table name under 'extract'");
        var types = new Dictionary<string, string>();
        await using (var command = new NpgsqlCommand(
            "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped",
            connection, transaction) { Parameters = { new() { Value = plan.SourceTable } } })
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) types[reader.GetString(0)] = reader.GetString(1);
        var missing = plan.Config.Columns.Where(c => !types.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new SourceException($"{where}: table {plan.SourceTable} has no column {string.Join(", ", missing)}",
                $"its columns are: {string.Join(", ", types.Keys.Order())}");
        var result = plan.Config.Columns.ToDictionary(c => c, c => types[c]);
        if (plan.Config.Expressions.Count > 0)
        {
            await using var describe = new NpgsqlCommand($"{plan.SourceQuery(null)} LIMIT 0", connection, transaction);
            await using var reader = await describe.ExecuteReaderAsync(System.Data.CommandBehavior.SchemaOnly, ct);
            foreach (var column in await reader.GetColumnSchemaAsync(ct))
                if (plan.Config.Expressions.ContainsKey(column.ColumnName)) result[column.ColumnName] = column.DataTypeName ?? "text";
        }
        return result;
    }

    private static string CursorLiteral(string value, Dictionary<string, string> columns, ExtractPlan plan) =>
        $"{SqlText.Literal(value)}::{columns[plan.Config.Cursor!]}";

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

    private static async Task<long> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct) =>
        (await ExecuteCountingAsync(connection, transaction, sql, executed: null, ct)).Rows;

    /// <returns>The rows a statement wrote; for a call into the meta schema also the rows it inserted with a new key (the procedure only).</returns>
    private static async Task<(long Rows, long? Inserted)> ExecuteCountingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string sql, ICollection<string>? executed, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await MetaAnswer.ReadAsync(reader, ct) is { } answer)
        {
            foreach (var statement in answer.Statements) executed?.Add(statement);
            return (answer.Rows, answer.Inserted);
        }
        await reader.CloseAsync();
        return (Math.Max(0, reader.RecordsAffected), null);
    }
}
