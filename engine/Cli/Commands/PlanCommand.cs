using System.CommandLine;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli.Commands;

/// <summary><c>engine plan</c>: the ordered steps a selection would run, with materialization and dependencies.</summary>
internal static class PlanCommand
{
    public static Command Create(CliApp app)
    {
        var only = SelectionOptions.Only();
        var exclude = SelectionOptions.Exclude();
        var from = SelectionOptions.From();
        var command = new Command("plan", "List the steps a selection would run, in order") { only, exclude, from };
        app.SetAction(command, async (context, _) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject());
            var selected = workspace.Selector.Select(new Selector.Selection(
                context.Parse.GetValue(only), context.Parse.GetValue(exclude), context.Parse.GetValue(from)));
            var width = selected.Max(s => s.ToString().Length);
            for (var i = 0; i < selected.Count; i++)
            {
                var step = workspace.Steps[selected[i]];
                var upstream = workspace.Dag.UpstreamOf(selected[i]);
                var materialize = step.Step.Materialize.ToString().ToLowerInvariant();
                var key = step.Step.Key.IsEmpty ? "" : $" by ({string.Join(", ", step.Step.Key)})";
                await context.Out.WriteLineAsync(
                    $"{i + 1,3}. {selected[i].ToString().PadRight(width)}  {(materialize + key).PadRight(20)}  ← " +
                    (upstream.Count == 0 ? "(no dependencies)" : string.Join(", ", upstream)));
            }
            await context.Out.WriteLineAsync($"{selected.Count} of {workspace.Steps.Count} steps");
            return 0;
        });
        return command;
    }
}
