using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Npgsql;

namespace Lacrei.Engine.Cli;

/// <summary>
/// For commands that work without a database and say more with one (<c>plan</c>): the target
/// database when one is configured and answers within a few seconds, else why not.
/// </summary>
internal static class OptionalDatabase
{
    private static readonly string[] Variables = ["DATABASE_URL", "PGHOST", "PGDATABASE", "PGSERVICE"];

    public static async Task<(NpgsqlDataSource? DataSource, string? Why)> OpenAsync(CommandContext context, CancellationToken ct)
    {
        var configured = context.Parse.GetValue(GlobalOptions.Connection) is not null
            || Variables.Any(name => !string.IsNullOrEmpty(context.Environment.Variable(name)));
        if (!configured) return (null, "no database configured (--connection, DATABASE_URL or PG* variables)");
        var settings = context.Connection();
        // A plan should not hang on a server that is down: a short connect timeout, then without it.
        settings.Builder.Timeout = Math.Min(settings.Builder.Timeout, 5);
        try
        {
            return (await Connections.OpenAsync(settings, ct), null);
        }
        catch (PipelineException e)
        {
            return (null, $"the database did not answer ({e.Diagnostics[0].Message})");
        }
    }
}
