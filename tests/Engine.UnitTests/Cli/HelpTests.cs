namespace Lacrei.Engine.Tests.Cli;

/// <summary>SPEC §8: <c>--help</c> everywhere, exit 0, on stdout. (The exact texts are approved snapshots.)</summary>
public sealed class HelpTests
{
    private static async Task<IReadOnlyList<string>> ListedCommandsAsync()
    {
        var help = (await EngineCli.RunAsync(["--help"])).Out;
        return help[(help.IndexOf("Commands:\n", StringComparison.Ordinal) + "Commands:\n".Length)..]
            .Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split("  ")[0].Split(", ")[^1].Split(" ")[0]).ToList(); // "ls, plan  List …", "init <DIR>  …": aliases first, then the name
    }

    [Fact]
    public async Task Root_help_lists_the_commands_of_the_spec()
    {
        var outcome = await EngineCli.RunAsync(["--help"]);

        Assert.Equal((0, ""), (outcome.ExitCode, outcome.Error));
        var listed = await ListedCommandsAsync();
        Assert.All(new[] { "run", "render", "plan", "graph", "validate", "migrate", "test", "seed", "runs", "demo" }, c => Assert.Contains(c, listed));
    }

    [Fact]
    public async Task Every_command_has_help_on_stdout_with_exit_0()
    {
        foreach (var command in await ListedCommandsAsync())
        {
            var outcome = await EngineCli.RunAsync([command, "--help"]);

            Assert.True(outcome.ExitCode == 0 && outcome.Error == "", $"{command} --help: {outcome}");
            Assert.StartsWith("Description:\n  ", outcome.Out);
            // A command with an argument (init [<DIR>]) names it before the options.
            Assert.Matches($@" {command}( \[?<[A-Z]+>\]?)? \[options\]", outcome.Out);
            Assert.Contains("  -?, -h, --help", outcome.Out);
        }
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task Short_help_aliases_work(string alias)
    {
        var outcome = await EngineCli.RunAsync(["plan", alias]);

        Assert.Equal(0, outcome.ExitCode);
        Assert.StartsWith("Description:\n  List the steps a selection would run, in order (and what differs from a state)\n", outcome.Out);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("")]
    public async Task Usage_names_the_program_engine_even_when_hosted_in_process(string command)
    {
        var outcome = await EngineCli.RunAsync(command.Length == 0 ? ["--help"] : [command, "--help"]);

        Assert.Contains(command.Length == 0 ? "Usage:\n  engine [command] [options]\n" : $"Usage:\n  engine {command} [options]\n", outcome.Out);
    }
}
