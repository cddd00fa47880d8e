using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>Who holds the run lease, as its row says (times from the database's clock).</summary>
/// <param name="Holder">The run id, or <c>migrate</c> / <c>seed</c>.</param>
/// <param name="Pid">The holder's operating-system process id on <paramref name="Host"/>.</param>
public sealed record LeaseHolder(string Holder, string Application, string Host, int Pid, DateTime AcquiredAt, DateTime ExpiresAt, bool Expired);

/// <summary>
/// The run lease (SPEC §6: one run at a time per meta schema): one row in
/// <c>{meta}.run_lease</c>, taken, renewed and released each in a transaction of its own. Unlike
/// a session advisory lock it holds through a pooler in transaction mode (PgBouncer), where a
/// session is nobody's; a holder that dies without a word stops renewing, and its lease is taken
/// over once it expires. Every time is the database's clock, so hosts need not agree on theirs.
/// The one type that reads or writes the table.
/// </summary>
public sealed class RunLease(Identifier metaSchema)
{
    /// <summary>The table's one row: one lease per meta schema.</summary>
    private const string Name = "run";

    public string Table => $"{metaSchema.Quoted}.run_lease";

    /// <summary>
    /// Creates the table when missing. It exists before migrations run (they run under the lease),
    /// so the engine creates it here rather than in a meta script; a transaction-scoped advisory
    /// lock (released at commit, so it also works through a pooler) serialises ten processes
    /// starting at once on an empty database.
    /// </summary>
    public async Task EnsureTableAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("table", Table);
            if ((bool)(await exists.ExecuteScalarAsync(ct))!) return;
        }
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var create = new NpgsqlCommand(
            $"""
            SELECT pg_advisory_xact_lock(hashtextextended('lacrei-pipeline:' || @schema, 0));
            CREATE SCHEMA IF NOT EXISTS {metaSchema.Quoted};
            CREATE TABLE IF NOT EXISTS {Table} (
                lease       text PRIMARY KEY,
                token       uuid NOT NULL,
                holder      text NOT NULL,
                application text NOT NULL,
                host        text NOT NULL,
                pid         integer NOT NULL,
                acquired_at timestamptz NOT NULL,
                renewed_at  timestamptz NOT NULL,
                expires_at  timestamptz NOT NULL
            );
            COMMENT ON TABLE {Table} IS 'lacrei-pipeline: the run that may write (one at a time); renewed by its heartbeat, taken over once expired';
            """, connection, transaction);
        create.Parameters.AddWithValue("schema", metaSchema.Name);
        await create.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Takes the lease when nobody holds it or its holder's lease expired. One statement: of ten
    /// processes at once, one inserts and the others find its row alive.
    /// </summary>
    /// <returns>Whether it was taken, and the expired holder it was taken from (null if none).</returns>
    public async Task<(bool Taken, string? TakenFrom)> TryTakeAsync(NpgsqlConnection connection, Guid token, string holder, string application,
        string host, int pid, TimeSpan duration, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            WITH previous AS (
                SELECT holder FROM {Table} WHERE lease = @lease
            )
            INSERT INTO {Table} AS l (lease, token, holder, application, host, pid, acquired_at, renewed_at, expires_at)
            VALUES (@lease, @token, @holder, @application, @host, @pid, now(), now(), now() + @duration)
            ON CONFLICT (lease) DO UPDATE
               SET token = EXCLUDED.token, holder = EXCLUDED.holder, application = EXCLUDED.application, host = EXCLUDED.host,
                   pid = EXCLUDED.pid, acquired_at = EXCLUDED.acquired_at, renewed_at = EXCLUDED.renewed_at, expires_at = EXCLUDED.expires_at
             WHERE l.expires_at < now()
            RETURNING (SELECT holder FROM previous)
            """, connection);
        command.Parameters.AddWithValue("lease", Name);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("holder", holder);
        command.Parameters.AddWithValue("application", application);
        command.Parameters.AddWithValue("host", host);
        command.Parameters.AddWithValue("pid", pid);
        command.Parameters.AddWithValue("duration", duration);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return (false, null);
        return (true, reader.IsDBNull(0) ? null : reader.GetString(0));
    }

    /// <summary>Extends the lease held with <paramref name="token"/>; false when it is no longer this holder's.</summary>
    public async Task<bool> RenewAsync(NpgsqlConnection connection, Guid token, TimeSpan duration, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {Table} SET renewed_at = now(), expires_at = now() + @duration WHERE lease = @lease AND token = @token", connection);
        command.Parameters.AddWithValue("lease", Name);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("duration", duration);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task ReleaseAsync(NpgsqlConnection connection, Guid token, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {Table} WHERE lease = @lease AND token = @token", connection);
        command.Parameters.AddWithValue("lease", Name);
        command.Parameters.AddWithValue("token", token);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The lease's row, expired or not; null when nobody holds it (or the table does not exist yet).</summary>
    public async Task<LeaseHolder?> HolderAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT holder, application, host, pid, acquired_at, expires_at, expires_at < now()
              FROM {Table}
             WHERE lease = @lease
            """, connection);
        command.Parameters.AddWithValue("lease", Name);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            return new LeaseHolder(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetDateTime(4), reader.GetDateTime(5), reader.GetBoolean(6));
        }
        catch (PostgresException e) when (e.SqlState is "42P01" or "3F000")
        {
            return null; // no lease table (or meta schema) yet: nobody has ever held it
        }
    }
}
