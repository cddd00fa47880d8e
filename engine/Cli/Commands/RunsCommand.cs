using System.CommandLine;
using System.Text.Json.Nodes;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Docs;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Server;

namespace Lacrei.Engine.Cli.Commands;

/// <summary><c>engine runs</c>: the recent runs from the run log.</summary>
internal static class RunsCommand
{
    public static Command Create(CliApp app)
    {
        var limit = new Option<int>("--limit") { Description = "How many runs", DefaultValueFactory = _ => 20 };
        var report = new Option<string?>("--report") { Description = "Write the timeline of run RUN_ID ('last' for the latest) as HTML", HelpName = "RUN_ID" };
        var reportOut = new Option<string?>("--out") { Description = "With --report: the HTML file (default run-RUN_ID.html)", HelpName = "FILE" };
        // --json (a global option): the runs' results (docs/operations.md#run-result), newest first, as run --json printed them.
        var command = new Command("runs", "List recent runs, or write one run's timeline (--report)") { limit, report, reportOut };
        app.SetAction(command, async (context, ct) =>
        {
            var typedOut = context.Parse.GetValue(reportOut);
            var runId = context.Parse.GetValue(report);
            if (typedOut is not null && runId is null)
                throw new PipelineException(ErrorKind.Usage, null, "runs --out needs --report RUN_ID", "for example engine runs --report last --out report.html");
            var outFile = typedOut is null ? null : OutputPath.ReportFile(typedOut, context.Environment.CurrentDirectory);
            var project = context.LoadProject();
            await using var dataSource = await Connections.OpenAsync(context.Connection(), ct);
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            if (runId is not null)
            {
                RunReportFile.Written written;
                try
                {
                    written = await RunReportFile.WriteAsync(connection, project.MetaSchema, runId, outFile,
                        context.Environment.CurrentDirectory, () => context.BuildWorkspace(project).Dag, ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw OutputPath.CannotWrite(typedOut is null ? "runs --report" : $"runs --out {typedOut}", e);
                }
                await context.Out.WriteLineAsync($"timeline of run {written.RunId} ({written.Steps} steps) written to {written.Path}");
                return 0;
            }
            var runLog = new RunLogReader(project.MetaSchema);
            var asJson = context.Parse.GetValue(GlobalOptions.Json);
            if (!await runLog.ExistsAsync(connection, ct))
            {
                await context.Out.WriteLineAsync(asJson ? "[]" : "no runs recorded yet");
                return 0;
            }
            var runs = await runLog.RecentAsync(connection, context.Parse.GetValue(limit), ct);
            if (asJson)
            {
                // Each result rebuilt from the run log, as the service serves a finished run.
                var history = new RunHistory(dataSource, project);
                var results = new JsonArray();
                foreach (var run in runs)
                    if (await history.ResultJsonAsync(run.RunId, ct) is { } result) results.Add(JsonNode.Parse(result));
                await context.Out.WriteLineAsync(results.ToJsonString(ApiEndpoints.Indented));
                return 0;
            }
            await context.Out.WriteLineAsync($"{"run",-26} {"status",-11} {"trigger",-8} {"started (UTC)",-19} {"seconds",8} {"steps",5} {"failed",6} {"rows",9}  selection");
            foreach (var run in runs)
            {
                var seconds = run.FinishedAt is { } end ? $"{(end - run.StartedAt).TotalSeconds:0.00}" : "-";
                await context.Out.WriteLineAsync(
                    $"{run.RunId,-26} {run.Status.Text(),-11} {run.Trigger,-8} {run.StartedAt,-19:yyyy-MM-dd HH:mm:ss} {seconds,8} {run.Steps,5} {run.Failed,6} {run.Rows,9}  {run.Selection}");
            }
            return 0;
        }, printsJson: true);
        return command;
    }
}
