using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// The seeds the engine loaded (the meta schema's <c>seeds</c>, 0001_run_log.sql): each file's hash,
/// so an unchanged file is not loaded again, and the rows it gave.
/// </summary>
public sealed class SeedLog(Identifier meta)
{
    private string Table => $"{meta.Quoted}.seeds";

    /// <summary>Every loaded seed's hash, by name (read with <see cref="ReadHashesAsync"/>).</summary>
    public NpgsqlBatchCommand SelectHashes() => new($"SELECT name, sha256 FROM {Table}");

    public static async Task<Dictionary<string, string>> ReadHashesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var seeds = new Dictionary<string, string>();
        while (await reader.ReadAsync(ct)) seeds[reader.GetString(0)] = reader.GetString(1);
        return seeds;
    }

    /// <summary>A seed's stored hash; it counts only while <paramref name="table"/> is there (another seeds schema loads again).</summary>
    public async Task<string?> StoredHashAsync(NpgsqlConnection connection, string name, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT sha256 FROM {Table} WHERE name = $1 AND to_regclass($2) IS NOT NULL", connection)
        {
            Parameters = { new() { Value = name }, new() { Value = table } },
        };
        return (string?)await command.ExecuteScalarAsync(ct);
    }

    /// <summary>Records a seed just loaded into <paramref name="table"/>, in the load's transaction; answers its row count.</summary>
    public NpgsqlCommand RecordCommand(string name, string hash, string table, NpgsqlConnection connection, NpgsqlTransaction transaction) => new(
        $"""
        INSERT INTO {Table} (name, sha256, rows, loaded_at)
        SELECT $1, $2, count(*), now() FROM {table}
        ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, rows = EXCLUDED.rows, loaded_at = EXCLUDED.loaded_at
        RETURNING rows
        """, connection, transaction) { Parameters = { new() { Value = name }, new() { Value = hash } } };
}
