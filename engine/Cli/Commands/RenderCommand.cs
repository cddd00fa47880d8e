using System.CommandLine;
using Lacrei.Engine.Cli.Snapshots;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine render</c>: exactly the SQL that <c>run</c> would send, step by step, in DAG order
/// (SPEC §4); with <c>--check</c> / <c>--approve</c>, the approved snapshots beside pipeline.yaml (SPEC §8).
/// </summary>
internal static class RenderCommand
{
    public static Command Create(CliApp app)
    {
        var only = SelectionOptions.Only();
        var exclude = SelectionOptions.Exclude();
        var from = SelectionOptions.From();
        var fullRefresh = new Option<bool>("--full-refresh") { Description = "Render as a --full-refresh run would" };
        var check = new Option<bool>("--check")
        { Description = "Compare with the approved files in snapshots/ beside pipeline.yaml: print a diff per changed file, exit 1 on any difference" };
        var approve = new Option<bool>("--approve")
        { Description = "Write the approved files in snapshots/ (and remove those of steps that no longer exist)" };
        var command = new Command("render", "Print the SQL each selected step would run, in order (also written to target/rendered/)")
            { only, exclude, from, fullRefresh, check, approve };
        app.SetAction(command, async (context, ct) =>
        {
            var selection = new Selector.Selection(context.Parse.GetValue(only), context.Parse.GetValue(exclude), context.Parse.GetValue(from));
            if (context.Parse.GetValue(check) || context.Parse.GetValue(approve))
                return await new RenderSnapshots(context).RunAsync(selection, context.Parse.GetValue(approve),
                    context.Parse.GetValue(check), context.Parse.GetValue(fullRefresh), ct);

            var workspace = context.BuildWorkspace(context.LoadProject(), fullRefresh: context.Parse.GetValue(fullRefresh));
            foreach (var id in workspace.Selector.Select(selection))
            {
                var step = workspace.Steps[id];
                var path = step.RenderedPath(workspace.Project.Config.RootDir);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, step.Sql, ct);
                await context.Out.WriteLineAsync($"-- ==== {id} ({step.Step.Materialize.ToString().ToLowerInvariant()}) ====");
                await context.Out.WriteLineAsync(step.Sql);
                if (step.IndexSql is { } indexes) await context.Out.WriteLineAsync($"-- once {id} has committed, in a transaction of their own: its indexes\n{indexes}");
            }
            return 0;
        });
        return command;
    }
}
