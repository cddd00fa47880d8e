using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>What the meta schema remembers of the pseudonym key (0024_pseudonym_key.sql): its fingerprint, never the key.</summary>
/// <param name="Fingerprint">The key's fingerprint (<see cref="Config.PseudonymKey.Fingerprint"/>).</param>
/// <param name="Rotating">A rotation to this key began and has not rebuilt every step that holds pseudonyms yet.</param>
/// <param name="RunId">The run that recorded it.</param>
public sealed record PseudonymKeyRecord(string Fingerprint, bool Rotating, string RunId, DateTimeOffset RecordedAt);

/// <summary>The one type that reads or writes the meta schema's <c>pseudonym_key</c> row.</summary>
public sealed class PseudonymKeyRecords(Identifier metaSchema)
{
    private string Table => $"{metaSchema.Quoted}.pseudonym_key";

    /// <param name="mayBeMissing">The meta schema may be another warehouse's, migrated by an engine before meta 0024: no table reads as no record.</param>
    public async Task<PseudonymKeyRecord?> ReadAsync(NpgsqlDataSource dataSource, CancellationToken ct, bool mayBeMissing = false)
    {
        if (mayBeMissing)
        {
            await using var exists = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
            exists.Parameters.Add(new NpgsqlParameter { Value = Table });
            if (await exists.ExecuteScalarAsync(ct) is not true) return null;
        }
        await using var command = dataSource.CreateCommand($"SELECT fingerprint, rotating, run_id, recorded_at FROM {Table}");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new PseudonymKeyRecord(reader.GetString(0), reader.GetBoolean(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    /// <summary>Records the key a run computes pseudonyms with (committed at once, before its steps).</summary>
    public async Task RecordAsync(NpgsqlDataSource dataSource, string fingerprint, bool rotating, string runId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO {Table} AS k (fingerprint, rotating, run_id) VALUES ($1, $2, $3)
            ON CONFLICT (only_row) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, rotating = EXCLUDED.rotating,
                run_id = EXCLUDED.run_id, recorded_at = EXCLUDED.recorded_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
        command.Parameters.Add(new NpgsqlParameter { Value = rotating });
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        await command.ExecuteNonQueryAsync(ct);
    }
}
