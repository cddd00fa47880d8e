using System.CommandLine;
using System.Diagnostics;
using Lacrei.Engine.Database;
using Lacrei.Engine.Demo;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Extraction;
using Lacrei.Engine.Graph;
using Npgsql;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine demo</c> (SPEC §12): with no database configured, start a throwaway PostgreSQL;
/// create and fill the synthetic source; run the whole pipeline; print the marts.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliApp app)
    {
        var scale = new Option<int>("--scale") { Description = "Size of the synthetic source: 1 ≈ 10,000 appointments", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Independent steps in parallel", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("demo", "Create a synthetic source, run the whole pipeline and print the marts") { scale, threads };
        app.SetAction(command, async (context, ct) =>
        {
            var clock = Stopwatch.StartNew();
            var project = context.LoadProject();
            var workspace = context.BuildWorkspace(project);
            var source = project.Sources.Values.FirstOrDefault()
                ?? throw new PipelineException(ErrorKind.Config, null, "the demo needs a source in pipeline.yaml to fill");

            await using var server = HasDatabase(context) ? null : await StartServerAsync(context, ct);
            var settings = server is null ? context.Connection() : ConnectionSettings.FromConnectionString(server.ConnectionString);
            // The source is a database of its own, as in production, so staging 1 is really extracted by COPY.
            var sourceSettings = await DemoSource.CreateDatabaseAsync(settings, context.Log, ct);
            await using (var dataSource = await Connections.OpenAsync(sourceSettings, ct))
            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            {
                var generate = Stopwatch.StartNew();
                await new DemoSource(project).CreateAsync(connection, source.Schema, context.Parse.GetValue(scale), ct);
                context.Log.Information("Demo source {Schema} in {Database} filled at scale {Scale} in {Seconds:0.00}s", source.Schema.Quoted,
                    sourceSettings.Builder.Database, context.Parse.GetValue(scale), generate.Elapsed.TotalSeconds);
            }
            var environment = source.ConnectionEnvVar is { } variable && sourceSettings != settings
                ? (Func<string, string?>)(name => name == variable ? sourceSettings.ConnectionString : context.Environment.Variable(name))
                : context.Environment.Variable;

            var request = new RunRequest(Threads: Math.Max(1, context.Parse.GetValue(threads)), AsOf: workspace.Run.AsOf.ToString("yyyy-MM-dd"));
            var selected = workspace.Selector.Select(new Selector.Selection());
            var pseudonymKey = workspace.PseudonymKeyFor(selected, DemoKey(project, context, server is not null));
            var progress = context.ShowProgress ? new ConsoleProgress(context.Error, context.Environment.Variable("NO_COLOR") is null) : IRunProgress.None;
            await using var target = await Connections.OpenAsync(settings, ct);
            await using var sources = new SourceConnections(project, environment);
            var runLog = new RunLog(project.MetaSchema);
            var executor = new StepExecutor(target, runLog, workspace, context.Log, new Extractor(sources, workspace.Run.FullRefresh),
                pseudonymKey: pseudonymKey);
            var runner = new Runner(workspace, target, settings, runLog, new Preparation(workspace, target, settings, context.Log),
                executor, sources, context.Log, progress);
            var result = await runner.RunAsync(request, selected, ct);
            await RunReport.WriteAsync(result, context.Out, context.Error);
            if (result.Status != RunStatus.Success) return ExitCodes.StepFailed;

            await DemoSummary.WriteAsync(context.Out, target, workspace, result, ct);
            await context.Out.WriteLineAsync($"demo finished in {clock.Elapsed.TotalSeconds:0.0}s" +
                (server is null ? $" on {settings.Display}" : " (the throwaway database is removed on exit; set DATABASE_URL to keep the data)"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// On a throwaway database the demo makes up its own pseudonym key when none is set: nothing
    /// outlives the process, so no pseudonym needs to match a later run's. On a database of the
    /// user's, the key is theirs to set (the next run must use the same one).
    /// </summary>
    private static Func<string, string?> DemoKey(Config.Project project, CommandContext context, bool throwaway)
    {
        if (!throwaway || project.Config.PseudonymKey is not { } variable || context.Environment.Variable(variable.Name) is { Length: > 0 })
            return context.Environment.Variable;
        var generated = Config.PseudonymKey.NewRandom();
        context.Log.Information("Pseudonym key: {Variable} is not set, so this throwaway demo uses a random key of its own", variable.Name);
        return name => name == variable.Name ? generated : context.Environment.Variable(name);
    }

    private static bool HasDatabase(CommandContext context) =>
        context.Parse.GetValue(GlobalOptions.Connection) is not null
        || context.Environment.Variable("DATABASE_URL") is not null
        || context.Environment.Variable("PGHOST") is not null;

    private static async Task<ThrowawayPostgres> StartServerAsync(CommandContext context, CancellationToken ct)
    {
        context.Log.Information("No database configured (DATABASE_URL, PGHOST): starting a throwaway PostgreSQL");
        var server = await ThrowawayPostgres.StartAsync(ct);
        context.Log.Information("Throwaway PostgreSQL on 127.0.0.1:{Port}", server.Port);
        return server;
    }
}
