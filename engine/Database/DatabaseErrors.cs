using System.Net.Sockets;
using Lacrei.Engine.Diagnostics;
using Npgsql;

namespace Lacrei.Engine.Database;

/// <summary>Turns failures to reach the database into messages a user can act on (no password, no stack).</summary>
public static class DatabaseErrors
{
    public static PipelineException Connection(Exception error, ConnectionSettings settings)
    {
        var reason = error switch
        {
            PostgresException { SqlState: "28P01" } => "password authentication failed",
            PostgresException { SqlState: "28000" } => "the server refused the user",
            PostgresException { SqlState: "3D000" } => "the database does not exist",
            PostgresException p => p.MessageText,
            NpgsqlException { InnerException: SocketException s } => s.Message,
            NpgsqlException { InnerException: TimeoutException } => "timed out",
            _ => error.Message,
        };
        return new PipelineException(ErrorKind.Connection, null, $"cannot connect to {settings.Display}: {reason}",
            "set DATABASE_URL (postgres://user:password@host:port/db) or PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE");
    }

    /// <summary>Failures worth retrying: the connection broke or could not be made; never a SQL error.</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        PostgresException p => p.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "08000" or "08003" or "08006" or "08001" or "08004",
        NpgsqlException n => n.IsTransient,
        _ => false,
    };
}
