using Lacrei.Engine.Database;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// The run log's last writes (failed steps, the run's end) when the server itself is gone:
/// the step already failed with "lost the connection", so the run must still end with that
/// result and exit 1, not an internal error. The run's row stays 'running' and the next run
/// marks it interrupted (RunLog.StartAsync).
/// </summary>
internal static class LostConnection
{
    /// <summary>Runs <paramref name="write"/>; false when the connection to the server was lost.</summary>
    public static async Task<bool> TolerateAsync(Func<Task> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (NpgsqlException error) when (DatabaseErrors.IsTransient(error))
        {
            return false;
        }
    }
}
