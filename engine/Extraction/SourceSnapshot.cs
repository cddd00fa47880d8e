using Npgsql;

namespace Lacrei.Engine.Extraction;

/// <summary>
/// A read-only REPEATABLE READ transaction on the source: everything one extract step reads
/// comes from the same snapshot. <see cref="StartAlongsideAsync{T}"/> runs a query on a second
/// connection that imports that snapshot, so a long count overlaps the step's other reads and
/// still sees exactly the same rows.
/// </summary>
public sealed class SourceSnapshot : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private string? _exported;

    private SourceSnapshot(NpgsqlDataSource dataSource, NpgsqlConnection connection) =>
        (_dataSource, Connection) = (dataSource, connection);

    public NpgsqlConnection Connection { get; }

    public static async Task<SourceSnapshot> BeginAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await ExecuteAsync(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ct);
            return new SourceSnapshot(dataSource, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="sql"/> on another connection in this snapshot and returns its
    /// running result; this connection is free again once this returns.
    /// </summary>
    public async Task<Task<T?>> StartAlongsideAsync<T>(string sql, CancellationToken ct)
    {
        // The snapshot can be imported only while this transaction is open: callers await the
        // result before the step ends (and before this object is disposed).
        if (_exported is null)
        {
            await using var export = new NpgsqlCommand("SELECT pg_export_snapshot()", Connection);
            _exported = (string)(await export.ExecuteScalarAsync(ct))!;
        }
        var snapshot = _exported;
        return Task.Run(async () =>
        {
            await using var other = await _dataSource.OpenConnectionAsync(ct);
            await ExecuteAsync(other, $"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{snapshot}'", ct);
            try
            {
                await using var command = new NpgsqlCommand(sql, other) { CommandTimeout = 0 };
                return await command.ExecuteScalarAsync(ct) is T value ? value : default;
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

    /// <summary>The snapshot was read-only: end it before the connection returns to the pool.</summary>
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
