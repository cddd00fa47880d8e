using Lacrei.Engine.Cli;

namespace Lacrei.Engine.Tests;

/// <summary>The result of one in-process <c>engine</c> invocation.</summary>
public sealed record CliOutcome(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Drives the real CLI in-process with captured output, as a user would type it.</summary>
public static class EngineCli
{
    public static async Task<CliOutcome> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? env = null, CancellationToken ct = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment(TextWriter.Synchronized(output), TextWriter.Synchronized(error),
            name => env is not null && env.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
            Environment.CurrentDirectory, ErrorIsTerminal: false);
        var code = await new CliApp(environment).RunAsync(args.ToArray(), ct);
        return new CliOutcome(code, output.ToString(), error.ToString());
    }
}
