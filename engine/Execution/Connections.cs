using Lacrei.Engine.Database;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>Opens the data source once per command and proves the server answers, with a clear error if not.</summary>
public static class Connections
{
    public static async Task<NpgsqlDataSource> OpenAsync(ConnectionSettings settings, CancellationToken ct)
    {
        var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        try
        {
            await using var probe = await dataSource.OpenConnectionAsync(ct);
            return dataSource;
        }
        catch (Exception error) when (error is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            throw DatabaseErrors.Connection(error, settings);
        }
    }
}
