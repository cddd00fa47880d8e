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
            var how = selected.ToDictionary(id => id, id =>
            {
                var step = workspace.Steps[id].Step;
                return step.Materialize.ToString().ToLowerInvariant() + (step.Key.IsEmpty ? "" : $" by ({string.Join(", ", step.Key)})");
            });
            var howWidth = Math.Min(40, how.Values.Max(h => h.Length)); // a long key may push its own arrow, not every row's
            // Seeds are DAG nodes that every run loads first (when their file changed).
            foreach (var seed in workspace.Seeds.Where(s => selected.Any(step => workspace.Dag.UpstreamOf(step).Contains(s.Id))))
                await context.Out.WriteLineAsync($"     {seed.Id.ToString().PadRight(width)}  {"seed".PadRight(howWidth)}  → " +
                    string.Join(", ", workspace.Dag.DownstreamOf(seed.Id).Where(selected.Contains)));
            for (var i = 0; i < selected.Count; i++)
            {
                var upstream = workspace.Dag.UpstreamOf(selected[i]);
                await context.Out.WriteLineAsync(
                    $"{i + 1,3}. {selected[i].ToString().PadRight(width)}  {how[selected[i]].PadRight(howWidth)}  ← " +
                    (upstream.Count == 0 ? "(no dependencies)" : string.Join(", ", upstream)));
            }
            await context.Out.WriteLineAsync($"{selected.Count} of {workspace.Steps.Count} steps");
            return 0;
        });
        return command;
    }
}
