using Npgsql;

namespace Lacrei.Engine.Tests;

/// <summary>
/// The extraction fixture's source: a database of its own on the test server (as in production,
/// where the application database is another server), with users and orders. Dropped on dispose.
/// </summary>
public sealed class ExtractSource : IAsyncDisposable
{
    private readonly string _server;

    private ExtractSource(string server, string database, string schema) => (_server, Database, Schema) = (server, database, schema);

    public string Database { get; }
    public string Schema { get; }

    public string Url
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(_server) { Database = Database };
            return b.ConnectionString;
        }
    }

    /// <param name="server">A connection string to the server that holds the source (default: the test server).</param>
    public static async Task<ExtractSource> CreateAsync(string suffix, string schema, string? server = null)
    {
        var source = new ExtractSource(server ?? IsolatedPipeline.ConnectionString, "src" + suffix, schema);
        await using (var admin = new NpgsqlConnection(source._server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{source.Database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        await source.ExecuteAsync(Ddl(schema));
        return source;
    }

    /// <summary>The source's schema and tables (also created in the target database for the same-database fallback).</summary>
    public static string Ddl(string schema) => $"""
        CREATE SCHEMA "{schema}";
        CREATE TABLE "{schema}".users (
            id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
            city text, email text, deleted_at timestamptz);
        CREATE INDEX ON "{schema}".users (updated_at);
        CREATE TABLE "{schema}".orders (
            id bigint PRIMARY KEY, user_id bigint, updated_at timestamptz NOT NULL, total numeric(12, 2));
        CREATE TABLE "{schema}".user_tags (id bigint PRIMARY KEY, user_id bigint, tag text);
        """;

    /// <summary>SQL against the source; <c>{s}</c> is the quoted source schema.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Url);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{s}", $"\"{Schema}\""), connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<string> ContentAsync(string query)
    {
        await using var connection = new NpgsqlConnection(Url);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM ({query.Replace("{s}", $"\"{Schema}\"")}) AS t", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
