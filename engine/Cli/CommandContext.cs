using System.CommandLine;
using System.Collections.Immutable;
using Lacrei.Engine.Config;
using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Templating;
using Serilog;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli;

/// <summary>What a command needs from the command line and the environment: output, logs, the project.</summary>
internal sealed class CommandContext
{
    public CommandContext(ParseResult parse, CliEnvironment environment)
    {
        Parse = parse;
        Environment = environment;
        Verbose = parse.GetValue(GlobalOptions.Verbose);
        var quiet = parse.GetValue(GlobalOptions.Quiet);
        var json = parse.GetValue(GlobalOptions.LogFormat) == "json";
        var config = new LoggerConfiguration().MinimumLevel.Is(Verbose ? Serilog.Events.LogEventLevel.Debug
            : quiet ? Serilog.Events.LogEventLevel.Warning : Serilog.Events.LogEventLevel.Information);
        Log = (json
                ? config.WriteTo.Sink(new TextWriterSink(new CompactJsonFormatter(), environment.Error))
                : config.WriteTo.Sink(new TextWriterSink(new EscapingFormatter(
                    new MessageTemplateTextFormatter("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}")), environment.Error)))
            .CreateLogger();
        ShowProgress = !quiet && !json && environment.ErrorIsTerminal;
    }

    public ParseResult Parse { get; }
    public CliEnvironment Environment { get; }
    public TextWriter Out => Environment.Out;
    public TextWriter Error => Environment.Error;
    public ILogger Log { get; }
    public bool Verbose { get; }
    public bool ShowProgress { get; }

    public ProjectOptions ProjectOptions(IEnumerable<string>? extraVars = null, string? target = null) => new(
        target ?? Parse.GetValue(GlobalOptions.Target),
        [.. extraVars ?? [], .. Parse.GetValue(GlobalOptions.Var) ?? []]);

    public Project LoadProject(ProjectOptions? options = null) =>
        Project.Resolve(PipelineLoader.Load(FindProjectFile()), options ?? ProjectOptions());

    public Workspace BuildWorkspace(Project project, string? asOf = null, bool fullRefresh = false, string? runId = null)
    {
        var date = ParseAsOf(asOf ?? Parse.GetValue(GlobalOptions.AsOf)) ?? RunContext.Today(project.Vars.GetValueOrDefault("timezone"));
        return Workspace.Build(project, new RunContext(runId ?? RunContext.NewRunId(), date, fullRefresh));
    }

    public ConnectionSettings Connection() =>
        ConnectionSettings.Resolve(Parse.GetValue(GlobalOptions.Connection), Environment.Variable);

    public static DateOnly? ParseAsOf(string? text)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date)) return date;
        throw new PipelineException(ErrorKind.Usage, null, $"--as-of '{text}' is not a date", "write it as yyyy-MM-dd, e.g. --as-of 2025-12-01");
    }

    private string FindProjectFile()
    {
        if (Parse.GetValue(GlobalOptions.Project) is { } explicitPath) return explicitPath;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "pipeline.yaml");
            if (File.Exists(candidate)) return candidate;
        }
        throw new PipelineException(ErrorKind.Usage, null, "no pipeline.yaml in this folder or any folder above it",
            "pass --project path/to/pipeline.yaml");
    }

    public static ImmutableArray<string> Vars(ParseResult parse) => [.. parse.GetValue(GlobalOptions.Var) ?? []];
}

/// <summary>The process's streams and environment, injectable so tests can drive the CLI in-process.</summary>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, Func<string, string?> Variable, string CurrentDirectory, bool ErrorIsTerminal)
{
    public static CliEnvironment FromProcess() => new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariable,
        System.Environment.CurrentDirectory, !Console.IsErrorRedirected);
}
