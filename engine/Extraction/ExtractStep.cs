using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Sql;
using Npgsql;

namespace Lacrei.Engine.Extraction;

/// <summary>
/// The moves of one extract step, in the target transaction: the step's rows (a step-local table
/// that source rows stream into by binary COPY, or INSERT … SELECT in the same database), the
/// merge into staging, the look at the source, and the hard deletes. <see cref="Extractor"/>
/// decides which run.
/// </summary>
internal sealed class ExtractStep(SourceSnapshot? source, NpgsqlConnection target, NpgsqlTransaction transaction, ExtractPlan plan,
    Dictionary<string, string> columns, ICollection<string> executed)
{
    public SourceSnapshot? Source => source;
    public ExtractPlan Plan => plan;

    /// <summary>Where the source is read: its own snapshot, or the step's transaction when it is this database.</summary>
    public (NpgsqlConnection Connection, NpgsqlTransaction? Transaction) Reader => source is null ? (target, transaction) : (source.Connection, null);

    public Task CreateRowsAsync(CancellationToken ct) => ExecuteAsync(
        $"CREATE TEMP TABLE {StepTables.Rows} ({string.Join(", ", plan.Columns.Select(c => $"{Identifier.Parse(c).Quoted} {columns[c]}"))}) ON COMMIT DROP", ct);

    /// <summary>Copies the source rows <paramref name="query"/> selects into the step's rows.</summary>
    public Task CopyAsync(string query, CancellationToken ct) => CopyAsync(query, $"{StepTables.Rows} ({plan.ColumnList})", ct);

    /// <summary>Copies the rows <paramref name="query"/> selects and merges them into staging.</summary>
    /// <returns>The step's rows, and how many rows staging gained (keys inserted less soft deletes removed).</returns>
    public async Task<(long Rows, long StagingChange)> CopyAndMergeAsync(string query, IReadOnlyList<(string Sql, bool CountsRows)> merge, CancellationToken ct)
    {
        await CreateRowsAsync(ct);
        await CopyAsync(query, ct);
        return await MergeAsync(merge, ct);
    }

    /// <summary>Runs the statements after the copy (<see cref="ExtractPlan.MergeStatements"/>).</summary>
    public async Task<(long Rows, long StagingChange)> MergeAsync(IReadOnlyList<(string Sql, bool CountsRows)> merge, CancellationToken ct)
    {
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

    /// <summary>The look's answer (<see cref="ExtractPlan.LookQuery"/>, <see cref="ExtractPlan.CopyingLookQuery"/>).</summary>
    public static async Task<Look> LookAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Look(reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.FieldCount > 3 ? reader.GetInt64(3) : 0);
    }

    /// <summary>
    /// Hard deletes. After the merge staging holds every source row, so a source count equal to
    /// staging's (recorded with the watermark, kept exact by every merge) means nothing was
    /// deleted and the key stream is skipped: a no-op run reads the source once, in one pass.
    /// Otherwise the source's keys stream over and staging keeps only those.
    /// </summary>
    public async Task<long> ReconcileAsync(long sourceCount, long stagingChange, CancellationToken ct)
    {
        if (stagingChange != 0) await ExecuteAsync(plan.AdjustCountSql(stagingChange.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
        if (await ScalarAsync<long?>(target, transaction, plan.StagingRowsQuery, ct) is not { } stagingCount)
        {
            await ExecuteAsync(plan.RecountSql, ct);
            stagingCount = await ScalarAsync<long?>(target, transaction, plan.StagingRowsQuery, ct) ?? -1;
        }
        if (sourceCount == stagingCount) return 0;
        var key = Identifier.Parse(plan.Config.Key).Quoted;
        await ExecuteAsync($"CREATE TEMP TABLE {StepTables.SourceKeys} ({key} {columns[plan.Config.Key]}) ON COMMIT DROP", ct);
        await CopyAsync(plan.KeyQuery, $"{StepTables.SourceKeys} ({key})", ct);
        var (deleted, _) = await ExecuteCountingAsync(target, transaction, plan.ReconcileSql, executed, ct);
        await ExecuteAsync($"DROP TABLE {StepTables.SourceKeys}", ct);
        await ExecuteAsync(plan.RecountSql, ct);
        return deleted;
    }

    /// <summary>The first column of the first row on the target; default when there is no row or it is NULL.</summary>
    public Task<T?> TargetScalarAsync<T>(string sql, CancellationToken ct) => ScalarAsync<T>(target, transaction, sql, ct);

    /// <summary>The first column of the first row where the source is read.</summary>
    public Task<T?> SourceScalarAsync<T>(string sql, CancellationToken ct) => ScalarAsync<T>(Reader.Connection, Reader.Transaction, sql, ct);

    public Task ExecuteAsync(string sql, CancellationToken ct) => ExecuteCountingAsync(target, transaction, sql, executed: null, ct);

    public static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        return await command.ExecuteScalarAsync(ct) is T value ? value : default;
    }

    /// <summary>Source to target: a binary COPY stream between two servers, or INSERT … SELECT within one.</summary>
    private async Task CopyAsync(string query, string into, CancellationToken ct)
    {
        if (source is null)
        {
            await ExecuteAsync($"INSERT INTO {into} {query}", ct);
            return;
        }
        await using var outgoing = await source.Connection.BeginRawBinaryCopyAsync($"COPY ({query}) TO STDOUT (FORMAT BINARY)", ct);
        await using var incoming = await target.BeginRawBinaryCopyAsync($"COPY {into} FROM STDIN (FORMAT BINARY)", ct);
        await outgoing.CopyToAsync(incoming, 1 << 16, ct);
    }

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

/// <summary>
/// What the look read in one pass over the source table: the rows staging should have (null
/// without <c>deletes: reconcile</c>), the changed rows, the rows whose cursor is NULL, infinite or
/// in the future (null when counted by the cursor's index instead), and (same database) the rows it copied.
/// </summary>
internal sealed record Look(long? SourceCount, long Changed, long? Flagged, long Copied);
