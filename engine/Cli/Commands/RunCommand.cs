using System.CommandLine;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Extraction;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Cli.Commands;

/// <summary><c>engine run</c>: run the selected steps (SPEC §6) and report (SPEC §10).</summary>
internal static class RunCommand
{
    public static Command Create(CliApp app)
    {
        var only = SelectionOptions.Only();
        var exclude = SelectionOptions.Exclude();
        var from = SelectionOptions.From();
        var resume = new Option<bool>("--resume") { Description = "Re-run the steps that failed or were skipped in the last run, and their descendants" };
        var threads = new Option<int>("--threads") { Description = "Independent steps run in parallel on this many connections", DefaultValueFactory = _ => Environment.ProcessorCount };
        var atomic = new Option<bool>("--atomic") { Description = "Run the whole selection in one transaction: all or nothing" };
        var fullRefresh = new Option<bool>("--full-refresh") { Description = "Rebuild the selected steps from scratch (recreates replace tables)" };
        var wait = new Option<bool>("--wait") { Description = "Queue behind a run that holds the lock instead of exiting with 3" };
        var state = StateOptions.State();
        var defer = StateOptions.Defer();
        var requireFresh = RequireFresh.Option();
        var storeFailures = FailureOptions.StoreFailures();
        var keepFailed = new Option<bool>("--keep-failed")
        {
            Description = "A step that fails its tests leaves its rows in the failures schema for inspection (docs/authoring.md)",
        };
        var command = new Command("run", "Run the pipeline, or a selection of it") { only, exclude, from, resume, threads, atomic, fullRefresh, wait, state, defer, requireFresh, storeFailures, keepFailed };

        app.SetAction(command, async (context, ct) =>
        {
            var p = context.Parse;
            var request = new RunRequest(p.GetValue(only), p.GetValue(exclude), p.GetValue(from), p.GetValue(GlobalOptions.Target),
                CommandContext.Vars(p), p.GetValue(GlobalOptions.AsOf), p.GetValue(fullRefresh), p.GetValue(atomic),
                p.GetValue(threads), "cli", p.GetValue(wait), p.GetValue(resume), p.GetValue(storeFailures), p.GetValue(keepFailed));
            if (request.Threads < 1) throw new PipelineException(ErrorKind.Usage, null, "--threads must be at least 1");

            IReadOnlyCollection<StepId>? resumeSteps = null;
            if (request.Resume)
            {
                var previous = await Resume.FindAsync(context, request, ct);
                if (previous is null) return 0;
                (request, resumeSteps) = previous.Value;
            }

            var connecting = Connections.OpenInBackground(context.Connection, ct);
            Workspace workspace;
            IReadOnlyList<StepId> selected;
            PseudonymKey? pseudonymKey;
            try
            {
                (workspace, selected) = Prepare(context, request, resumeSteps, p.GetValue(state), p.GetValue(defer));
                pseudonymKey = workspace.PseudonymKeyFor(selected, context.Environment.Variable);
            }
            catch
            {
                await Connections.AbandonAsync(connecting);
                throw;
            }
            request = request with { AsOf = workspace.Run.AsOf.ToString("yyyy-MM-dd") };
            if (p.GetValue(requireFresh) && !await RequireFresh.CheckAsync(context, workspace, selected, ct))
            {
                await Connections.AbandonAsync(connecting);
                return ExitCodes.StepFailed;
            }

            var progress = context.ShowProgress ? new ConsoleProgress(context.Error, context.Environment.Variable("NO_COLOR") is null) : IRunProgress.None;
            var connection = context.Connection();
            await using var dataSource = await connecting;
            await using var sources = new SourceConnections(workspace.Project, context.Environment.Variable);
            var runLog = new RunLog(workspace.Project.MetaSchema);
            var executor = new StepExecutor(dataSource, runLog, workspace, context.Log,
                new Extractor(sources, workspace.Run.FullRefresh),
                failures: new Quality.FailureStore(workspace.Project, request.StoreFailures, request.KeepFailed), pseudonymKey: pseudonymKey);
            var runner = new Runner(workspace, dataSource, connection, runLog, new Preparation(workspace, dataSource, connection, context.Log),
                executor, sources, context.Log, progress);
            var result = await runner.RunAsync(request, selected, ct);
            if (p.GetValue(GlobalOptions.Json)) await context.Out.WriteLineAsync(RunJson.Write(result));
            else await RunReport.WriteAsync(result, context.Out, context.Error);
            return result.Cancelled ? ExitCodes.Interrupted : result.Status == RunStatus.Success ? ExitCodes.Success : ExitCodes.StepFailed;
        }, printsJson: true);
        return command;
    }

    /// <summary>The project loaded and rendered, and the steps to run.</summary>
    /// <remarks>With <c>--state</c> and <c>--defer</c> (slim CI), the workspace reads the steps it does not build from the state's target.</remarks>
    private static (Workspace, IReadOnlyList<StepId>) Prepare(CommandContext context, RunRequest request, IReadOnlyCollection<StepId>? resumeSteps,
        string? stateDir, bool defer)
    {
        var project = context.LoadProject(context.ProjectOptions(request.Vars.Except(CommandContext.Vars(context.Parse)), request.Target));
        var ci = SlimCi.Select(context, context.BuildWorkspace(project, request.AsOf, request.FullRefresh),
            new Selector.Selection(request.Only, request.Exclude, request.From), stateDir, defer);
        var (workspace, selected) = (ci.Workspace, ci.Selected);
        if (resumeSteps is not null)
        {
            var again = resumeSteps.SelectMany(s => workspace.Dag.Contains(s) ? workspace.Dag.Descendants(s).Append(s) : []).ToHashSet();
            selected = selected.Where(again.Contains).ToList();
        }
        return (workspace, selected);
    }
}
