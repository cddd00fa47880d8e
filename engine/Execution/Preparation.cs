using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Migrations;
using Lacrei.Engine.Templating;
using Npgsql;
using Serilog;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Execution;

/// <summary>
/// What must hold before any step runs: the layer schemas exist, one-time DDL is applied and the
/// seeds are current. Shared by <c>run</c> and <c>seed</c>; the caller holds the run lock.
/// </summary>
public sealed class Preparation(Workspace workspace, NpgsqlDataSource dataSource, ConnectionSettings connection, ILogger log)
{
    public async Task<IReadOnlyList<SeedResult>> PrepareAsync(CancellationToken ct)
    {
        var project = workspace.Project;
        try
        {
            var schemas = project.Config.Layers.Select(l => project.Schemas[l.SchemaKey]).Append(project.MetaSchema).Distinct();
            await using (var command = dataSource.CreateCommand(string.Concat(schemas.Select(s => $"CREATE SCHEMA IF NOT EXISTS {s.Quoted};"))))
                await command.ExecuteNonQueryAsync(ct);
            var renderer = new SqlRenderer(project, workspace.Run, workspace.Seeds.Select(s => s.Name).ToHashSet());
            var migrated = new Migrator(project, renderer, connection.ConnectionString, log).Migrate(repair: false, dataSource);
            foreach (var script in migrated.Applied) log.Information("Applied migration {Script}", script);
            var seeds = await new SeedLoader(project).LoadAsync(dataSource, workspace.Seeds, ct);
            foreach (var seed in seeds.Where(s => s.Loaded)) log.Information("Loaded seed {Seed}: {Rows} rows", seed.Name, seed.Rows);
            return seeds;
        }
        catch (PostgresException e)
        {
            throw new PipelineException(ErrorKind.Connection, null, $"preparing {connection.Display} failed: {e.MessageText}",
                e.SqlState == "42501" ? "the user needs CREATE on the database and its schemas (or run 'engine migrate' as an owner first)" : e.Hint);
        }
    }
}
