using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// One run at a time per target (SPEC §6): a session-level advisory lock keyed by the meta
/// schema, held on a connection of its own for the whole run (migrations included). The
/// connection's application_name names the run, so a refused run can say who holds the lock.
/// </summary>
public sealed class RunLock : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnection _connection;

    private RunLock(NpgsqlDataSource dataSource, NpgsqlConnection connection) => (_dataSource, _connection) = (dataSource, connection);

    private const string KeySql = "hashtextextended('lacrei-pipeline:' || @schema, 0)";

    public static async Task<RunLock> AcquireAsync(string connectionString, Identifier metaSchema,
        string runId, bool wait, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ApplicationPrefix + runId, Pooling = false };
        var dataSource = Database.BuiltinTypes.DataSource(builder.ConnectionString);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await dataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(
                wait ? $"SELECT true FROM (SELECT pg_advisory_lock({KeySql})) AS queued" : $"SELECT pg_try_advisory_lock({KeySql})", connection);
            command.Parameters.AddWithValue("schema", metaSchema.Name);
            command.CommandTimeout = 0;
            var acquired = (bool)(await command.ExecuteScalarAsync(ct))!;
            if (!acquired)
            {
                var holder = await HolderAsync(connection, metaSchema, ct);
                throw new PipelineException(ErrorKind.Locked, null,
                    $"another run holds the lock on meta schema {metaSchema.Quoted}: {holder}",
                    "wait for it to finish, or pass --wait to queue behind it");
            }
            return new RunLock(dataSource, connection);
        }
        catch
        {
            if (connection is not null) await connection.DisposeAsync();
            await dataSource.DisposeAsync();
            throw;
        }
    }

    private const string HolderSql =
        $"""
          FROM pg_locks l
          JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
           AND ((l.classid::bigint << 32) | l.objid::bigint) = {KeySql}
        """;

    private const string ApplicationPrefix = "lacrei-pipeline run ";

    /// <summary>
    /// The run id (or <c>migrate</c>, <c>seed</c>) of whoever holds the lock, null when nobody
    /// does: the service answers a refused trigger's 409 with it (SPEC §12).
    /// </summary>
    public static async Task<string?> HolderRunIdAsync(string connectionString, Identifier metaSchema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT a.application_name {HolderSql} LIMIT 1", connection);
        command.Parameters.AddWithValue("schema", metaSchema.Name);
        var name = await command.ExecuteScalarAsync(ct) as string;
        return name is not null && name.StartsWith(ApplicationPrefix, StringComparison.Ordinal) ? name[ApplicationPrefix.Length..] : name;
    }

    private static async Task<string> HolderAsync(NpgsqlConnection connection, Identifier metaSchema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT a.application_name, a.pid, a.backend_start, coalesce(host(a.client_addr), 'local') {HolderSql}", connection);
        command.Parameters.AddWithValue("schema", metaSchema.Name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return "a run that has just finished (try again)";
        var name = reader.GetString(0).Replace("lacrei-pipeline ", "");
        return $"{name} (pid {reader.GetInt32(1)} on {reader.GetString(3)}, connected since {reader.GetDateTime(2):yyyy-MM-dd HH:mm:ss}Z)";
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
