using System.CommandLine;
using System.CommandLine.Help;
using Lacrei.Engine.Cli.Commands;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Cli;

/// <summary>
/// The command line: every command, and the one place where a <see cref="PipelineException"/>
/// becomes a message and an exit code (SPEC §8: 0 ok, 1 a step failed, 2 usage or
/// configuration, 3 locked, 70 internal error, 130 interrupted).
/// </summary>
public sealed class CliApp(CliEnvironment environment)
{
    public async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        // Named explicitly: a RootCommand takes the host's name ("testhost" when run in-process).
        var root = new Command("engine", "lacrei-pipeline: declarative SQL pipelines on PostgreSQL") { new HelpOption(), new VersionOption() };
        foreach (var option in GlobalOptions.All) root.Options.Add(option);
        foreach (var command in Commands()) root.Subcommands.Add(command);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await environment.Error.WriteLineAsync($"error: {error.Message}");
            await environment.Error.WriteLineAsync("  hint: run 'engine --help' or 'engine <command> --help'");
            return ExitCodes.UsageOrConfig;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error }, ct);
    }

    private IEnumerable<Command> Commands() =>
    [
        RunCommand.Create(this), RenderCommand.Create(this), PlanCommand.Create(this), GraphCommand.Create(this),
        ValidateCommand.Create(this), MigrateCommand.Create(this), SeedCommand.Create(this), RunsCommand.Create(this),
        DemoCommand.Create(this), TestCommand.Create(this),
        ServeCommand.Create(this), HashPasswordCommand.Create(this),
        DocsCommand.Create(this), InitCommand.Create(this), FreshnessCommand.Create(this),
    ];

    /// <summary>Wraps a command's body: builds its context and maps failures to exit codes.</summary>
    /// <param name="printsJson">The command writes its result as JSON with <c>--json</c>; other commands refuse the option.</param>
    internal void SetAction(Command command, Func<CommandContext, CancellationToken, Task<int>> body, bool printsJson = false) =>
        command.SetAction(async (parse, ct) =>
        {
            CommandContext? context = null;
            if (!printsJson && parse.GetValue(GlobalOptions.Json))
            {
                // Silently printing text to a caller that parses JSON would fail far from here.
                await environment.Error.WriteLineAsync($"error: engine {command.Name} has no JSON output");
                await environment.Error.WriteLineAsync("  hint: --json is for run, plan (ls), validate, graph, migrate, seed, test and runs");
                return ExitCodes.UsageOrConfig;
            }
            try
            {
                context = new CommandContext(parse, environment);
                return await body(context, ct);
            }
            catch (PipelineException e)
            {
                await environment.Error.WriteLineAsync(ErrorFormatter.Format(e));
                return ExitCodes.For(e.Kind);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await environment.Error.WriteLineAsync("cancelled");
                return ExitCodes.Interrupted;
            }
            catch (Exception e)
            {
                var verbose = context?.Verbose ?? false;
                // A server error's own text may quote row values (SPEC §9.6): never printed, even here.
                var message = e is Npgsql.PostgresException server ? $"{server.SqlState}: {Database.ServerErrorText.Of(server, null).Message}" : e.Message;
                await environment.Error.WriteLineAsync($"internal error: {message}" +
                    (verbose ? Environment.NewLine + (e is Npgsql.PostgresException ? e.StackTrace : e.ToString()) : Environment.NewLine + "  hint: run again with -v for the stack trace, and report it"));
                return ExitCodes.InternalError;
            }
        });
}
