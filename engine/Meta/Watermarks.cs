using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// A step's row in the meta schema's watermarks table (0004_watermarks.sql): the largest cursor
/// value it has loaded (or an extract step's source fingerprint), the fingerprint of the rows at
/// it, and staging's row count. Every statement that reads or writes it is here; the writes run
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

    /// <summary>An incremental step's new watermark: the largest cursor value among its rows, when there are any.</summary>
    public string SetFromRows(string cursor) =>
        $"INSERT INTO {Table} (step, value, updated_at)\n" +
        $"SELECT {StepLiteral}, max({cursor})::text, now() FROM {StepTables.Rows}\n" +
        $"HAVING max({cursor}) IS NOT NULL\n" +
        $"{OnConflict("value")};\n";

    /// <summary>A whole-table extract step's watermark: the fingerprint of the source it reloaded.</summary>
    public string SetValue(string valueLiteral) =>
        $"INSERT INTO {Table} (step, value, updated_at) VALUES ({StepLiteral}, {valueLiteral}, now()) {OnConflict("value")}";

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
    public string SetSourceState(SourceState state) =>
        SetSourceState(state.Horizon.ToString(System.Globalization.CultureInfo.InvariantCulture), SqlText.Literal(state.System), SqlText.Literal(state.Relations));

    /// <summary>The same with SQL values (<c>render</c> shows placeholders).</summary>
    public string SetSourceState(string horizon, string system, string relations) =>
        $"INSERT INTO {Table} (step, xid_horizon, source_system, source_relations, updated_at) " +
        $"VALUES ({StepLiteral}, {horizon}, {system}, {relations}, now()) " +
        OnConflict("xid_horizon", "source_system", "source_relations");

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
            $"SELECT w.value, w.xid_horizon, w.source_system, w.source_relations FROM {Table} w WHERE w.step = $1 AND to_regclass($2) IS NOT NULL",
            connection, transaction)
        {
            Parameters = { new() { Value = step.ToString() }, new() { Value = table } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return new StoredWatermark(false, null, null);
        var value = reader.IsDBNull(0) ? null : reader.GetString(0);
        var source = reader.IsDBNull(1) || reader.IsDBNull(2) || reader.IsDBNull(3)
            ? null
            : new SourceState(reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
        return new StoredWatermark(true, value, source);
    }

    private static string OnConflict(params string[] columns) =>
        $"ON CONFLICT (step) DO UPDATE SET {string.Concat(columns.Select(c => $"{c} = EXCLUDED.{c}, "))}updated_at = EXCLUDED.updated_at";
}

/// <summary>
/// A step's row of the watermarks table: <paramref name="Value"/> is the watermark (or a
/// whole-table step's fingerprint), <paramref name="Source"/> where its source stood when it was
/// last read (extract steps with a cursor; null before their first exact extraction).
/// </summary>
public sealed record StoredWatermark(bool Exists, string? Value, SourceState? Source);

/// <summary>
/// A source as one extraction read it: the xmin of its snapshot as a 64-bit transaction id (every
/// transaction below it had ended), its cluster's system identifier, and the oids of the table and
/// of its partitions or children, comma-separated.
/// </summary>
public sealed record SourceState(long Horizon, string System, string Relations);
