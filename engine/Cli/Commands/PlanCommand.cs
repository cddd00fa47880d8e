using System.CommandLine;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Graph;
using Lacrei.Engine.State;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine plan</c> (<c>engine ls</c>): the ordered steps a selection would run, with
/// materialization and dependencies; <c>--json</c> adds whether a run would skip each as
/// unchanged; <c>--state DIR</c> what differs from a production state and whether it breaks
/// what is downstream; <c>--write-state DIR</c> writes the manifest (docs/ci.md).
/// </summary>
internal static class PlanCommand
{
    public static Command Create(CliApp app)
    {
        var only = SelectionOptions.Only();
        var exclude = SelectionOptions.Exclude();
        var from = SelectionOptions.From();
        var state = StateOptions.State();
        var defer = StateOptions.Defer();
        var writeState = new Option<string?>("--write-state")
        { Description = "Write the project's manifest.json into this folder (columns too, when the database answers)", HelpName = "DIR" };
        var command = new Command("plan", "List the steps a selection would run, in order (and what differs from a state)")
        { only, exclude, from, state, defer, writeState };
        command.Aliases.Add("ls");
        app.SetAction(command, async (context, ct) =>
        {
            var p = context.Parse;
            var selection = new Selector.Selection(p.GetValue(only), p.GetValue(exclude), p.GetValue(from));
            var ci = SlimCi.Select(context, context.BuildWorkspace(context.LoadProject()), selection, p.GetValue(state), p.GetValue(defer));
            var asJson = p.GetValue(GlobalOptions.Json);
            var writeDir = p.GetValue(writeState);

            // Without a database the plan is complete but for the forecast and the columns.
            var (dataSource, why) = asJson || ci.Diff is not null || writeDir is not null
                ? await OptionalDatabase.OpenAsync(context, ct)
                : (null, "pass --json for the forecast");
            await using var _ = dataSource;
            var forecast = dataSource is null
                ? ci.Selected.ToDictionary(id => id, _ => new SkipPrediction(null, why!))
                : await SkipForecast.PredictAsync(dataSource, ci.Workspace, ci.Selected, ct);
            var planState = ci.Diff is { } diff
                ? new PlanState(ci.StateDir!, diff.State, await PlanChanges.ClassifyAsync(diff, ci.Workspace, dataSource, why, ct),
                    p.GetValue(defer) ? Deferred(ci) : null)
                : null;
            var plan = new Plan(ci.Workspace, selection.ToString(), ci.Selected.Select(id => new PlannedStep(id, forecast[id])).ToList(), planState);

            if (writeDir is not null)
            {
                var dir = Path.GetFullPath(writeDir, context.Environment.CurrentDirectory);
                var shapes = dataSource is null ? null : await TableShapes.ReadAsync(dataSource, ci.Workspace, ct);
                try { ManifestFile.Write(dir, ManifestBuilder.Build(ci.Workspace, shapes, null, DateTimeOffset.UtcNow)); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw OutputPath.CannotWrite($"plan --write-state {writeDir}", e); }
                await context.Error.WriteLineAsync($"state written to {Path.Combine(dir, Manifest.FileName)}" +
                    (shapes is null ? $" without columns: {why}" : ""));
            }
            if (asJson) await context.Out.WriteLineAsync(PlanJson.Write(plan));
            else await PlanText.WriteAsync(plan, context.Out);
            return 0;
        }, printsJson: true);
        return command;
    }

    /// <summary>The steps outside the selection that a selected step reads: with --defer, from the state's target.</summary>
    private static List<Config.StepId> Deferred(SlimCi ci)
    {
        var selected = ci.Selected.ToHashSet();
        var read = ci.Selected.SelectMany(ci.Workspace.Dag.UpstreamOf).Where(u => !u.IsSeed && !selected.Contains(u)).ToHashSet();
        return ci.Workspace.Dag.Order.Where(read.Contains).ToList();
    }
}
