using Npgsql;

namespace Lacrei.Engine.Extraction;

/// <summary>
/// A read-only REPEATABLE READ transaction on the source: everything one extract step reads
/// (the look before copying, the rows, the keys) comes from the same snapshot.
/// </summary>
public sealed class SourceSnapshot : IAsyncDisposable
{
    private SourceSnapshot(NpgsqlConnection connection) => Connection = connection;

    public NpgsqlConnection Connection { get; }

    public static async Task<SourceSnapshot> BeginAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            // No parallel workers on the application's server: the engine already runs one
            // extract step per thread, and the workers are a pool the application shares.
            await using var begin = new NpgsqlCommand(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL max_parallel_workers_per_gather = 0", connection);
            await begin.ExecuteNonQueryAsync(ct);
            return new SourceSnapshot(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The snapshot was read-only: it ends before the connection returns to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Connection.State == System.Data.ConnectionState.Open)
            await using (var end = new NpgsqlCommand("ROLLBACK", Connection)) await end.ExecuteNonQueryAsync(CancellationToken.None);
        await Connection.DisposeAsync();
    }
}
