using System.CommandLine;

namespace Lacrei.Engine.Cli;

/// <summary>The options every command understands (SPEC §8).</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Project = new("--project")
    { Description = "Path to pipeline.yaml (default: found from the current folder upward)", Recursive = true };

    public static readonly Option<string?> Target = new("--target")
    { Description = "A target from pipeline.yaml that re-maps every schema (e.g. ci)", Recursive = true };

    public static readonly Option<string[]> Var = new("--var")
    { Description = "Override a var or schema: key=value (repeatable), e.g. --var schemas.mart=mart_dev", Recursive = true };

    public static readonly Option<string?> AsOf = new("--as-of")
    { Description = "The run's reference date, yyyy-MM-dd (default: today in vars.timezone)", Recursive = true };

    public static readonly Option<string?> Connection = new("--connection")
    { Description = "postgres:// URL or connection string (default: DATABASE_URL, else PG* variables)", Recursive = true };

    public static readonly Option<string> LogFormat = new("--log-format")
    { Description = "Log format on stderr: text or json", DefaultValueFactory = _ => "text", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    { Description = "Debug logs and stack traces", Recursive = true };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    { Description = "Only warnings and errors", Recursive = true };

    public static readonly Option<bool> Json = new("--json")
    { Description = "Print the command's result as JSON on stdout (errors stay on stderr)", Recursive = true };

    public static IEnumerable<Option> All => [Project, Target, Var, AsOf, Connection, Json, LogFormat, Verbose, Quiet];

    static GlobalOptions()
    {
        LogFormat.AcceptOnlyFromAmong("text", "json");
    }
}

/// <summary>Options of the commands that select steps (SPEC §5).</summary>
internal static class SelectionOptions
{
    public static Option<string?> Only() => new("--only")
    { Description = "Layers, steps or tag:NAME, comma-separated; +X adds ancestors, X+ descendants" };

    public static Option<string?> Exclude() => new("--exclude") { Description = "Same grammar as --only; removed from the selection" };

    public static Option<string?> From() => new("--from") { Description = "A step and everything downstream of it" };
}

/// <summary>Options of slim CI (SPEC §8): compare with a production state, and read what is not built from production.</summary>
internal static class StateOptions
{
    public static Option<string?> State() => new("--state")
    {
        Description = "Folder of a manifest.json (a production run's target/state): enables state:modified and state:new in --only",
        HelpName = "DIR",
    };

    public static Option<bool> Defer() => new("--defer")
    { Description = "With --state: ref of a step not selected reads the state's target (production) instead of this target" };
}
