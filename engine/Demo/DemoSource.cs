using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Templating;
using Npgsql;

namespace Lacrei.Engine.Demo;

/// <summary>
/// The Lacrei demo source (SPEC §9.1): creates the source contract's tables in a schema and
/// fills them deterministically at a scale, in SQL inside PostgreSQL. The templates live in
/// <c>&lt;sql_root&gt;/demo/</c>: <c>source-schema.sql</c> and <c>generate.sql</c>.
/// </summary>
public sealed class DemoSource(Project project)
{
    public string Folder => Path.Combine(project.Config.SqlRoot, "demo");

    /// <summary>The rendered DDL of the source contract for <paramref name="schema"/>.</summary>
    public string SchemaSql(Identifier schema) => Render("source-schema.sql", schema, 1);

    public string GenerateSql(Identifier schema, int scale) => Render("generate.sql", schema, scale);

    /// <summary>Creates the source tables in <paramref name="schema"/>; with a scale, fills them too.</summary>
    public async Task CreateAsync(NpgsqlConnection connection, Identifier schema, int? scale, CancellationToken ct)
    {
        await ExecuteAsync(connection, SchemaSql(schema), ct);
        if (scale is { } n) await ExecuteAsync(connection, GenerateSql(schema, n), ct);
    }

    public const string DatabaseName = "lacrei_demo_source";

    /// <summary>
    /// The demo's source database beside the target (created if missing). Without the right to
    /// create databases, the source lives in the target database instead.
    /// </summary>
    public static async Task<Database.ConnectionSettings> CreateDatabaseAsync(Database.ConnectionSettings target, Serilog.ILogger log, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(target.ConnectionString);
        try
        {
            await using var exists = dataSource.CreateCommand($"SELECT EXISTS (SELECT FROM pg_database WHERE datname = '{DatabaseName}')");
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                await using var create = dataSource.CreateCommand($"CREATE DATABASE {DatabaseName}");
                await create.ExecuteNonQueryAsync(ct);
            }
        }
        catch (PostgresException e)
        {
            log.Warning("Cannot create database {Database} ({Error}); the demo source goes into the target database", DatabaseName, e.MessageText);
            return target;
        }
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = DatabaseName };
        return Database.ConnectionSettings.FromConnectionString(builder.ConnectionString);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private string Render(string file, Identifier schema, int scale)
    {
        var path = Path.Combine(Folder, file);
        if (!File.Exists(path))
            throw new PipelineException(ErrorKind.Config, null, $"demo file not found: {DisplayPath.Of(path)}",
                "the demo needs <sql_root>/demo/source-schema.sql and generate.sql");
        if (scale < 1) throw new PipelineException(ErrorKind.Usage, null, $"--scale must be at least 1, not {scale}");
        var renderer = new SqlRenderer(project, new RunContext("demo", DateOnly.FromDateTime(DateTime.UtcNow)), new HashSet<string>());
        return renderer.RenderText(TextFiles.Read(path), path,
            new Dictionary<string, object> { ["source_schema"] = schema.Quoted, ["scale"] = scale });
    }
}
