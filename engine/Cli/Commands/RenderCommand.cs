using System.CommandLine;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli.Commands;

/// <summary><c>engine render</c>: exactly the SQL that <c>run</c> would send, step by step, in DAG order (SPEC §4).</summary>
internal static class RenderCommand
{
    public static Command Create(CliApp app)
    {
        var only = SelectionOptions.Only();
        var exclude = SelectionOptions.Exclude();
        var from = SelectionOptions.From();
        var fullRefresh = new Option<bool>("--full-refresh") { Description = "Render as a --full-refresh run would" };
        var command = new Command("render", "Print the SQL each selected step would run, in order (also written to target/rendered/)")
            { only, exclude, from, fullRefresh };
        app.SetAction(command, async (context, _) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject(), fullRefresh: context.Parse.GetValue(fullRefresh));
            var selected = workspace.Selector.Select(new Selector.Selection(
                context.Parse.GetValue(only), context.Parse.GetValue(exclude), context.Parse.GetValue(from)));
            foreach (var id in selected)
            {
                var step = workspace.Steps[id];
                var path = step.RenderedPath(workspace.Project.Config.RootDir);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, step.Sql);
                await context.Out.WriteLineAsync($"-- ==== {id} ({step.Step.Materialize.ToString().ToLowerInvariant()}) ====");
                await context.Out.WriteLineAsync(step.Sql);
            }
            return 0;
        });
        return command;
    }
}
