using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// What a step last produced from what (0005_step_state.sql): the hash of its rendered SQL, the
/// signature of its inputs' data versions, its own data version (the run that last changed its
/// table) and, for a step with a scope, the signature of the inputs it does not read as changes.
/// </summary>
/// <param name="ForeignWritesSeen">The count of foreign writes (0009_foreign_writes.sql) the step's last run absorbed.</param>
/// <param name="ForeignWrites">The count now: when it moved, something else wrote the step's table.</param>
public sealed record StepState(string SqlHash, string InputSignature, string DataVersion, string? StaticSignature,
    long ForeignWritesSeen = 0, long ForeignWrites = 0)
{
    /// <summary>Nothing but the step wrote its table since it last ran.</summary>
    public bool TableAsLeft => ForeignWrites == ForeignWritesSeen;
}

/// <summary>
/// The meta schema's step states as the skipping of unchanged steps reads them (in one round trip,
/// with the caller's other queries) and writes them (in the step's transaction).
/// </summary>
public sealed class StepStates(Identifier meta)
{
    /// <summary>Every step's state (read with <see cref="ReadStatesAsync"/>).</summary>
    public NpgsqlBatchCommand SelectStates() => new(
        $"SELECT s.step, s.sql_hash, s.input_signature, s.data_version, s.static_signature, s.foreign_writes, coalesce(f.writes, 0) " +
        $"FROM {meta.Quoted}.step_state AS s LEFT JOIN {meta.Quoted}.foreign_writes AS f USING (step)");

    public static async Task<Dictionary<string, StepState>> ReadStatesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var states = new Dictionary<string, StepState>();
        while (await reader.ReadAsync(ct))
            states[reader.GetString(0)] = new StepState(reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5), reader.GetInt64(6));
        return states;
    }

    public NpgsqlCommand SaveCommand(StepId step, StepState state, NpgsqlConnection connection, NpgsqlTransaction transaction) => new(
        $"""
        INSERT INTO {meta.Quoted}.step_state (step, sql_hash, input_signature, data_version, static_signature, foreign_writes, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, now())
        ON CONFLICT (step) DO UPDATE SET sql_hash = EXCLUDED.sql_hash, input_signature = EXCLUDED.input_signature,
            data_version = EXCLUDED.data_version, static_signature = EXCLUDED.static_signature,
            foreign_writes = EXCLUDED.foreign_writes, updated_at = EXCLUDED.updated_at
        """, connection, transaction)
    {
        Parameters =
        {
            new() { Value = step.ToString() }, new() { Value = state.SqlHash }, new() { Value = state.InputSignature }, new() { Value = state.DataVersion },
            new() { Value = (object?)state.StaticSignature ?? DBNull.Value }, new() { Value = state.ForeignWritesSeen },
        },
    };
}
