using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// A step's row in the meta schema's watermarks table (0004_watermarks.sql, 0012_exact_extraction.sql):
/// the largest cursor value it has loaded, staging's row count, and where an extract step's
/// source stood when it read it. Every statement that reads or writes it is here; the writes run
/// in the step's transaction, so a failed step keeps the old values.
/// </summary>
public sealed class Watermarks(Identifier meta, StepId step)
{
    private string Table => $"{meta.Quoted}.watermarks";
    private string StepLiteral => SqlText.Literal(step.ToString());
    private string ThisStep => $"step = {StepLiteral}";

    /// <summary>
    /// The stored value as an SQL expression (text, NULL before the first load): what templates
    /// see as <c>watermark</c>, so rendering stays free of database access.
    /// </summary>
    public string Expression => $"(SELECT w.value FROM {Table} AS w WHERE w.step = {StepLiteral})";

    /// <summary>Whether the meta schema has its watermarks table (a pipeline that never ran has none).</summary>
    public string Exists => $"SELECT to_regclass({SqlText.Literal(Table)}) IS NOT NULL";

    /// <summary>
    /// Seconds since the step last stored its row (an extract step: the last run that captured a
    /// change); no row before its first load. Source freshness of a table without a cursor (issue 23).
    /// </summary>
    public string CapturedAgeSeconds => $"SELECT extract(epoch FROM now() - updated_at)::float8 FROM {Table} WHERE {ThisStep}";

    /// <summary>An incremental step's new watermark: the largest cursor value among its rows, when there are any.</summary>
    public string SetFromRows(string cursor) =>
        $"INSERT INTO {Table} (step, value, updated_at)\n" +
        $"SELECT {StepLiteral}, max({cursor})::text, now() FROM {StepTables.Rows}\n" +
        $"HAVING max({cursor}) IS NOT NULL\n" +
        $"{OnConflict("value")};\n";

    /// <summary>
    /// An extract step's new watermark: the newest cursor among the rows it copied that is not past
    /// <paramref name="clock"/> (the source's clock, null for a cursor that is not a time), or
    /// <paramref name="previous"/> when that is newer (null on a full load, which starts afresh).
    /// A cursor in the future or infinite never becomes the watermark (SPEC §9.2).
    /// </summary>
    public string SetFromCopiedRows(string cursor, string? clock, string? previous) =>
        $"INSERT INTO {Table} (step, value, updated_at) " +
        $"SELECT {StepLiteral}, greatest(max(r.{cursor}){(clock is null ? "" : $" FILTER (WHERE r.{cursor} <= {clock})")}, {previous ?? "NULL"})::text, now() " +
        $"FROM {StepTables.Rows} AS r " +
        OnConflict("value");

    /// <summary>The stored watermark as a value of the cursor's type, to compare in SQL.</summary>
    public string ValueAs(string type) => $"({Expression}::{type})";

    /// <summary>
    /// Where the source stood when the step read it (0012_exact_extraction.sql): the next run copies
    /// the rows written by transactions at or after <paramref name="state"/>'s horizon.
    /// </summary>
    /// <param name="countTable">A table whose rows are counted as staging's (a whole table, just reloaded).</param>
    public string SetSourceState(SourceState state, string? countTable = null) =>
        SetSourceState(state.Horizon.ToString(System.Globalization.CultureInfo.InvariantCulture), SqlText.Literal(state.System), SqlText.Literal(state.Relations), countTable);

    /// <summary>The same with SQL values (<c>render</c> shows placeholders).</summary>
    public string SetSourceState(string horizon, string system, string relations, string? countTable = null) =>
        $"INSERT INTO {Table} (step, xid_horizon, source_system, source_relations{(countTable is null ? "" : ", staging_rows")}, updated_at) " +
        $"VALUES ({StepLiteral}, {horizon}, {system}, {relations}{(countTable is null ? "" : $", (SELECT count(*) FROM {countTable})")}, now()) " +
        (countTable is null ? OnConflict("xid_horizon", "source_system", "source_relations") : OnConflict("xid_horizon", "source_system", "source_relations", "staging_rows"));

    /// <summary>Staging's row count as recorded with the watermark (NULL before the first recount).</summary>
    public string StagingRowsQuery => $"SELECT staging_rows FROM {Table} WHERE {ThisStep}";

    /// <summary>Re-records staging's row count by counting <paramref name="stagingTable"/>.</summary>
    public string RecountSql(string stagingTable) => $"UPDATE {Table} SET staging_rows = (SELECT count(*) FROM {stagingTable}) WHERE {ThisStep}";

    /// <summary>Moves the recorded count by <paramref name="change"/> rows, so it stays exact without counting staging.</summary>
    public string AdjustCountSql(string change) => $"UPDATE {Table} SET staging_rows = staging_rows + {change} WHERE {ThisStep}";

    /// <summary>
    /// What the step stored, in the step's transaction; nothing while <paramref name="table"/> does
    /// not exist (first run, or dropped): a stored value no longer describes it then.
    /// </summary>
    public async Task<StoredWatermark> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT w.value, w.xid_horizon, w.source_system, w.source_relations, w.staging_rows FROM {Table} w WHERE w.step = $1 AND to_regclass($2) IS NOT NULL",
            connection, transaction)
        {
            Parameters = { new() { Value = step.ToString() }, new() { Value = table } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return new StoredWatermark(false, null, null, null);
        var value = reader.IsDBNull(0) ? null : reader.GetString(0);
        var source = reader.IsDBNull(1) || reader.IsDBNull(2) || reader.IsDBNull(3)
            ? null
            : new SourceState(reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
        return new StoredWatermark(true, value, source, reader.IsDBNull(4) ? null : reader.GetInt64(4));
    }

    private static string OnConflict(params string[] columns) =>
        $"ON CONFLICT (step) DO UPDATE SET {string.Concat(columns.Select(c => $"{c} = EXCLUDED.{c}, "))}updated_at = EXCLUDED.updated_at";
}

/// <summary>
/// A step's row of the watermarks table: <paramref name="Value"/> is the watermark,
/// <paramref name="Source"/> where its source stood when it was last read (extract steps; null
/// before their first exact extraction), <paramref name="StagingRows"/> staging's row count as recorded.
/// </summary>
public sealed record StoredWatermark(bool Exists, string? Value, SourceState? Source, long? StagingRows);

/// <summary>
/// A source as one extraction read it: the xmin of its snapshot as a 64-bit transaction id (every
/// transaction below it had ended), its cluster's system identifier, and the oids of the table and
/// of its partitions or children, comma-separated.
/// </summary>
public sealed record SourceState(long Horizon, string System, string Relations);
