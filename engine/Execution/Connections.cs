using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
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

    /// <summary>
    /// Starts <see cref="OpenAsync"/> in the background, so that connecting (and the driver's
    /// first-use work) overlaps loading and rendering the project; errors, even in resolving the
    /// settings, surface where the task is awaited.
    /// </summary>
    public static Task<NpgsqlDataSource> OpenInBackground(Func<ConnectionSettings> settings, CancellationToken ct) =>
        Task.Run(() => OpenAsync(settings(), ct), ct);

    /// <summary>Closes a data source opened in the background that will not be used; its own failure no longer matters.</summary>
    public static async Task AbandonAsync(Task<NpgsqlDataSource> opening)
    {
        try { await (await opening).DisposeAsync(); }
        catch (Exception e) when (e is PipelineException or OperationCanceledException) { }
    }
}
