using System.CommandLine;
using Lacrei.Engine.Execution;

namespace Lacrei.Engine.Cli.Commands;

/// <summary><c>engine seed</c>: load changed seeds/*.csv (also done before every run).</summary>
internal static class SeedCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("seed", "Load seeds/*.csv into the seeds schema (unchanged files are skipped)");
        app.SetAction(command, async (context, ct) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject());
            var connection = context.Connection();
            await using var dataSource = await Connections.OpenAsync(connection, ct);
            await using var runLock = await RunLock.AcquireAsync(connection.ConnectionString, workspace.Project.MetaSchema, "seed", false, ct);
            await using (var schema = dataSource.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {workspace.Project.MetaSchema.Quoted}"))
                await schema.ExecuteNonQueryAsync(ct);
            var renderer = new Templating.SqlRenderer(workspace.Project, workspace.Run, workspace.Seeds.Select(s => s.Name).ToHashSet());
            new Migrations.Migrator(workspace.Project, renderer, connection.ConnectionString, context.Log).Migrate(repair: false);
            foreach (var seed in await new SeedLoader(workspace.Project).LoadAsync(dataSource, workspace.Seeds, ct))
                await context.Out.WriteLineAsync(seed.Loaded ? $"loaded    {seed.Name} ({seed.Rows} rows)" : $"unchanged {seed.Name}");
            return 0;
        });
        return command;
    }
}
