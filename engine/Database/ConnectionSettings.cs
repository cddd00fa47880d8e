using Lacrei.Engine.Diagnostics;
using Npgsql;

namespace Lacrei.Engine.Database;

/// <summary>
/// Where the target database is (SPEC §8): <c>--connection</c>, else <c>DATABASE_URL</c>
/// (a postgres:// URL), else the standard <c>PG*</c> variables. The password never leaves
/// this type except inside the connection string given to Npgsql.
/// </summary>
public sealed class ConnectionSettings
{
    private ConnectionSettings(NpgsqlConnectionStringBuilder builder) => Builder = builder;

    public NpgsqlConnectionStringBuilder Builder { get; }

    public string ConnectionString => Builder.ConnectionString;

    /// <summary>For messages: host, port, database and user, never the password.</summary>
    public string Display => $"{Builder.Username}@{Builder.Host}:{Builder.Port}/{Builder.Database}";

    public static ConnectionSettings Resolve(string? option, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var text = option ?? env("DATABASE_URL");
        var builder = text is not null ? Parse(text) : FromPgVariables(env);
        builder.ApplicationName ??= "lacrei-pipeline";
        // The server's DETAIL names the offending columns and rows; users need it to fix a step.
        builder.IncludeErrorDetail = true;
        // Which statement of a step failed (PostgresException.BatchCommand), so its error points at its line;
        // Npgsql 10 leaves it out unless asked. The engine's statements carry no parameters with row values.
        builder.IncludeFailedBatchedCommand = true;
        // Multiplexing stays off: every step has its own transaction on its own connection.
        builder.MaxPoolSize = Math.Max(builder.MaxPoolSize, 20);
        return new ConnectionSettings(builder);
    }

    public static ConnectionSettings FromConnectionString(string connectionString) => new(new NpgsqlConnectionStringBuilder(connectionString));

    private static NpgsqlConnectionStringBuilder Parse(string text)
    {
        if (!text.StartsWith("postgres://", StringComparison.Ordinal) && !text.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            try { return new NpgsqlConnectionStringBuilder(text); }
            catch (ArgumentException e)
            {
                throw new PipelineException(ErrorKind.Usage, null, $"the connection is neither a postgres:// URL nor a connection string: {e.Message}",
                    "for example DATABASE_URL=postgres://user@localhost:5432/warehouse");
            }
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            throw new PipelineException(ErrorKind.Usage, null, "DATABASE_URL is not a valid URL",
                "for example postgres://user:password@localhost:5432/warehouse");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            UrlParameters.Apply(builder, key, value);
        }
        return builder;
    }

    private static NpgsqlConnectionStringBuilder FromPgVariables(Func<string, string?> env)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = env("PGHOST") ?? "localhost",
            Port = int.TryParse(env("PGPORT"), out var port) ? port : 5432,
            Username = env("PGUSER") ?? Environment.UserName,
        };
        builder.Database = env("PGDATABASE") ?? builder.Username;
        if (env("PGPASSWORD") is { } password) builder.Password = password;
        return builder;
    }
}
