using System.CommandLine;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Migrations;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Cli.Commands;

/// <summary><c>engine migrate [--repair]</c>: apply pending one-time DDL under the run lock (SPEC §7).</summary>
internal static class MigrateCommand
{
    public static Command Create(CliApp app)
    {
        var repair = new Option<bool>("--repair") { Description = "Re-record the checksums of edited, already-applied migrations (after review)" };
        var wait = new Option<bool>("--wait") { Description = "Queue behind a run that holds the lock" };
        var command = new Command("migrate", "Apply pending migrations") { repair, wait };
        app.SetAction(command, async (context, ct) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject());
            var project = workspace.Project;
            var connection = context.Connection();
            await using var dataSource = await Connections.OpenAsync(connection, ct);
            await using var runLock = await RunLock.AcquireAsync(connection.ConnectionString, project.MetaSchema, "migrate", context.Parse.GetValue(wait),
                project.Config.Timeouts.RunLease, context.Log, ct);
            var renderer = new SqlRenderer(project, workspace.Run, workspace.Seeds.Select(s => s.Name).ToHashSet());
            var result = new Migrator(project, renderer, connection.ConnectionString, context.Log).Migrate(context.Parse.GetValue(repair));
            if (context.Parse.GetValue(GlobalOptions.Json))
            {
                await context.Out.WriteLineAsync(new System.Text.Json.Nodes.JsonObject
                {
                    ["applied"] = new System.Text.Json.Nodes.JsonArray([.. result.Applied.Select(n => (System.Text.Json.Nodes.JsonNode)n)]),
                    ["repaired"] = new System.Text.Json.Nodes.JsonArray([.. result.Repaired.Select(n => (System.Text.Json.Nodes.JsonNode)n)]),
                }.ToJsonString(Server.ApiEndpoints.Indented));
                return 0;
            }
            foreach (var name in result.Repaired) await context.Out.WriteLineAsync($"repaired  {name}");
            foreach (var name in result.Applied) await context.Out.WriteLineAsync($"applied   {name}");
            await context.Out.WriteLineAsync(result.Applied.Count == 0 ? "database is up to date" : $"{result.Applied.Count} migrations applied");
            return 0;
        }, printsJson: true);
        return command;
    }
}
