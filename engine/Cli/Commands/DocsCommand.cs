using System.CommandLine;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Docs;
using Lacrei.Engine.Execution;
using Npgsql;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine docs --out site/</c>: a static docs site (issue 9): the lineage graph and a page per
/// step. The database is optional: without one the site is still complete except for columns,
/// test results and timings, which it says are unavailable.
/// </summary>
internal static class DocsCommand
{
    public static Command Create(CliApp app)
    {
        var output = new Option<string>("--out") { Description = "Folder to write the site into (index.html + assets/)", DefaultValueFactory = _ => "site", HelpName = "DIR" };
        var offline = new Option<bool>("--offline") { Description = "Do not read the database, even when one is configured" };
        var force = new Option<bool>("--force") { Description = "Write into a folder that holds other files (the site's own files are replaced)" };
        var command = new Command("docs", "Write a static docs site: lineage graph, SQL, columns, tests and last runs of every step") { output, offline, force };
        app.SetAction(command, async (context, ct) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject());
            var typed = context.Parse.GetValue(output)!;
            var outDir = OutputPath.SiteFolder(typed, context.Environment.CurrentDirectory, DocsSiteWriter.Marker, context.Parse.GetValue(force));

            await using var dataSource = await OpenDatabaseAsync(context, context.Parse.GetValue(offline), ct);
            await using var connection = dataSource.Source is null ? null : await dataSource.Source.OpenConnectionAsync(ct);
            DocsSite site;
            try
            {
                site = await DocsSiteWriter.GenerateAsync(outDir, workspace, connection, dataSource.Status, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw OutputPath.CannotWrite($"docs --out {typed}", e);
            }

            await context.Out.WriteLineAsync(
                $"docs written to {Path.Combine(outDir, "index.html")}: {site.Steps.Count(s => s.Layer != Config.StepId.SeedsLayer)} steps, {site.Steps.Count(s => s.Layer == Config.StepId.SeedsLayer)} seeds, {site.Edges.Count} edges" +
                (site.Database.Available ? "" : $" (columns unavailable: {site.Database.Message})"));
            if (site.LastRunId is { } run) await context.Out.WriteLineAsync($"timeline of the last run ({run}): {Path.Combine(outDir, DocsHtml.RunReportFile)}");
            return 0;
        });
        return command;
    }

    private sealed record Database(NpgsqlDataSource? Source, DatabaseStatus Status) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Source?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>A configured database that does not answer is a warning here, not an error: the docs are still worth having.</summary>
    private static async Task<Database> OpenDatabaseAsync(CommandContext context, bool offline, CancellationToken ct)
    {
        if (offline) return new Database(null, new DatabaseStatus(false, "built with --offline"));
        var configured = context.Parse.GetValue(GlobalOptions.Connection) is not null
            || context.Environment.Variable("DATABASE_URL") is not null || context.Environment.Variable("PGHOST") is not null;
        if (!configured) return new Database(null, new DatabaseStatus(false, "no database configured (set DATABASE_URL or pass --connection)"));

        var settings = context.Connection();
        settings.Builder.Timeout = Math.Min(settings.Builder.Timeout, 10);
        try
        {
            var source = await Connections.OpenAsync(settings, ct);
            return new Database(source, new DatabaseStatus(true, $"columns, tests and runs read from {settings.Display}"));
        }
        catch (PipelineException e) when (e.Kind == ErrorKind.Connection)
        {
            context.Log.Warning("Writing the docs without columns, test results or timings: {Reason}", e.Message);
            return new Database(null, new DatabaseStatus(false, e.Message));
        }
    }
}
