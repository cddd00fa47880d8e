using Npgsql;

namespace Lacrei.Engine.Extraction;

/// <summary>
/// A read-only REPEATABLE READ transaction on the source: everything one extract step reads
/// (the look before copying, the rows, the keys) comes from the same snapshot.
/// <see cref="StartAlongsideAsync{T}"/> reads on a second connection that imports the snapshot,
/// so a long scan overlaps the copy and the merge and still sees exactly the same rows.
/// </summary>
public sealed class SourceSnapshot : IAsyncDisposable
{
    // No parallel workers on the application's server: the engine already runs one extract step
    // per thread, and the workers are a pool the application shares.
    private const string Settings = "SET LOCAL max_parallel_workers_per_gather = 0";

    private readonly NpgsqlDataSource _dataSource;
    private string? _exported;

    private SourceSnapshot(NpgsqlDataSource dataSource, NpgsqlConnection connection) => (_dataSource, Connection) = (dataSource, connection);

    public NpgsqlConnection Connection { get; }

    public static async Task<SourceSnapshot> BeginAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await ExecuteAsync(connection, $"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; {Settings}", ct);
            return new SourceSnapshot(dataSource, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="read"/> on another connection in this snapshot and returns it
    /// running; this connection is free again once this returns. The caller awaits the result
    /// before disposing this snapshot (an exported snapshot lives only as long as its transaction).
    /// </summary>
    public async Task<Task<T>> StartAlongsideAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken ct)
    {
        if (_exported is null)
        {
            await using var export = new NpgsqlCommand("SELECT pg_export_snapshot()", Connection);
            _exported = (string)(await export.ExecuteScalarAsync(ct))!;
        }
        var snapshot = _exported;
        return Task.Run(async () =>
        {
            await using var other = await _dataSource.OpenConnectionAsync(ct);
            await ExecuteAsync(other, $"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{snapshot}'; {Settings}", ct);
            try
            {
                return await read(other);
            }
            finally
            {
                await EndAsync(other);
            }
        }, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync(Connection);
        await Connection.DisposeAsync();
    }

    /// <summary>The snapshot was read-only: it ends before the connection returns to the pool.</summary>
    private static async Task EndAsync(NpgsqlConnection connection)
    {
        if (connection.State == System.Data.ConnectionState.Open)
            await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
