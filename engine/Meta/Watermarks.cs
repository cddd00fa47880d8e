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
    /// An extract step's new watermark, the newest cursor copied, with the fingerprint of the rows
    /// at it (<paramref name="atWatermarkQuery"/> reads the maximum as <c>w.m</c>).
    /// </summary>
    public string SetFromCopiedRows(string cursor, string atWatermarkQuery) =>
        $"INSERT INTO {Table} (step, value, at_watermark, updated_at) " +
        $"SELECT {StepLiteral}, w.m::text, ({atWatermarkQuery}), now() " +
        $"FROM (SELECT max({cursor}) AS m FROM {StepTables.Rows}) AS w WHERE w.m IS NOT NULL " +
        OnConflict("value", "at_watermark");

    /// <summary>The fingerprint of the rows at the watermark, unless the watermark has moved on meanwhile.</summary>
    public string SetAtWatermark(string fingerprintLiteral, string valueLiteral) =>
        $"UPDATE {Table} SET at_watermark = {fingerprintLiteral} WHERE {ThisStep} AND value = {valueLiteral}";

    /// <summary>Staging's row count as recorded with the watermark (NULL before the first recount).</summary>
    public string StagingRowsQuery => $"SELECT staging_rows FROM {Table} WHERE {ThisStep}";

    /// <summary>Re-records staging's row count by counting <paramref name="stagingTable"/>.</summary>
    public string RecountSql(string stagingTable) => $"UPDATE {Table} SET staging_rows = (SELECT count(*) FROM {stagingTable}) WHERE {ThisStep}";

    /// <summary>Moves the recorded count by <paramref name="change"/> rows, so it stays exact without counting staging.</summary>
    public string AdjustCountSql(string change) => $"UPDATE {Table} SET staging_rows = staging_rows + {change} WHERE {ThisStep}";

    /// <summary>
    /// The stored watermark and the fingerprint of the rows at it, in the step's transaction; none
    /// while <paramref name="table"/> does not exist (first run, or dropped): a stored value no
    /// longer describes it then.
    /// </summary>
    public async Task<(string? Value, string? AtWatermark)> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT w.value, w.at_watermark FROM {Table} w WHERE w.step = $1 AND to_regclass($2) IS NOT NULL", connection, transaction)
        {
            Parameters = { new() { Value = step.ToString() }, new() { Value = table } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return (null, null);
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private static string OnConflict(params string[] columns) =>
        $"ON CONFLICT (step) DO UPDATE SET {string.Concat(columns.Select(c => $"{c} = EXCLUDED.{c}, "))}updated_at = EXCLUDED.updated_at";
}
