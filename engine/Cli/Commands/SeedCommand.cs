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
            await using var runLock = await RunLock.AcquireAsync(connection.ConnectionString, workspace.Project.MetaSchema, "seed", false,
                workspace.Project.Config.Timeouts.RunLease, context.Log, ct);
            var seeds = await new Preparation(workspace, dataSource, connection, context.Log).PrepareAsync(ct);
            if (context.Parse.GetValue(GlobalOptions.Json))
                await context.Out.WriteLineAsync(new System.Text.Json.Nodes.JsonArray([.. seeds.Select(seed => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                {
                    ["seed"] = seed.Name, ["loaded"] = seed.Loaded, ["rows"] = seed.Rows,
                })]).ToJsonString(Server.ApiEndpoints.Indented));
            else
                foreach (var seed in seeds)
                    await context.Out.WriteLineAsync(seed.Loaded ? $"loaded    {seed.Name} ({seed.Rows} rows)" : $"unchanged {seed.Name}");
            return 0;
        }, printsJson: true);
        return command;
    }
}
