using Lacrei.Engine.Sql;
using Npgsql;

namespace Lacrei.Engine.Extraction;

/// <summary>The types of an extract step's columns as the source has them, checked against staging's.</summary>
internal static class SourceColumns
{
    /// <summary>The declared columns' types as the source has them; a missing table or column is named.</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        ExtractPlan plan, CancellationToken ct)
    {
        var where = $"source '{plan.Source.Name}'";
        var types = await TypesAsync(connection, transaction, plan.SourceTable, ct);
        // No columns at all: most likely no table (asked only then, to spare every run a round trip).
        if (types.Count == 0)
            await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction) { Parameters = { new() { Value = plan.SourceTable } } })
                if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
                    throw new SourceException($"{where}: table {plan.SourceTable} does not exist", "check the source schema and the table name under 'extract'");
        var missing = plan.Config.Columns.Where(c => !types.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new SourceException($"{where}: table {plan.SourceTable} has no column {string.Join(", ", missing)}",
                $"its columns are: {string.Join(", ", types.Keys.Order())}");
        var result = plan.Config.Columns.ToDictionary(c => c, c => types[c]);
        if (plan.Config.Expressions.Count > 0)
        {
            await using var describe = new NpgsqlCommand($"{plan.SourceQuery()} LIMIT 0", connection, transaction);
            await using var reader = await describe.ExecuteReaderAsync(System.Data.CommandBehavior.SchemaOnly, ct);
            foreach (var column in await reader.GetColumnSchemaAsync(ct))
                if (plan.Config.Expressions.ContainsKey(column.ColumnName)) result[column.ColumnName] = column.DataTypeName ?? "text";
        }
        return result;
    }

    /// <summary>
    /// The source columns whose type differs from staging's (none while staging does not exist):
    /// loading them would convert every value (timestamptz → timestamp shifts each by the
    /// session's offset), so a normal run refuses, naming each; a full refresh rebuilds staging.
    /// </summary>
    public static async Task<string?> ChangedAsync(NpgsqlConnection target, NpgsqlTransaction transaction, ExtractPlan plan,
        Dictionary<string, string> source, CancellationToken ct)
    {
        var staging = await TypesAsync(target, transaction, plan.Target, ct);
        var changed = plan.Config.Columns
            .Where(c => staging.TryGetValue(c, out var type) && type != source[c])
            .Select(c => $"column {c} of table {plan.SourceTable} is {source[c]} in the source, {staging[c]} in staging")
            .ToList();
        return changed.Count == 0 ? null : $"source '{plan.Source.Name}': {string.Join("; ", changed)}";
    }

    private static async Task<Dictionary<string, string>> TypesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string table, CancellationToken ct)
    {
        var types = new Dictionary<string, string>();
        await using var command = new NpgsqlCommand(
            "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped",
            connection, transaction) { Parameters = { new() { Value = table } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) types[reader.GetString(0)] = reader.GetString(1);
        return types;
    }
}
