using Lacrei.Engine.Cli;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Tests.Cli;

/// <summary>SPEC §8 and STYLE.md: anything but a user's mistake or a failed step is a bug, said as such and exiting 70.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public async Task An_unexpected_exception_is_an_internal_error_with_exit_70_not_a_failed_step()
    {
        using var pipeline = CliPipeline.Create();
        var error = new StringWriter();
        // Standard output that cannot be written: nothing the user typed is wrong, and no step ran.
        var environment = new CliEnvironment(new BrokenWriter(), error, Environment.GetEnvironmentVariable, Environment.CurrentDirectory, ErrorIsTerminal: false);

        var code = await new CliApp(environment).RunAsync(["plan", "--project", pipeline.YamlPath]);

        Assert.Equal(70, code);
        Assert.Equal(ExitCodes.InternalError, code);
        Assert.Equal("""
            internal error: No space left on device
              hint: run again with -v for the stack trace, and report it

            """, error.ToString().ReplaceLineEndings("\n"));
    }

    private sealed class BrokenWriter : StringWriter
    {
        public override void Write(char value) => throw new IOException("No space left on device");
        public override void Write(string? value) => throw new IOException("No space left on device");
        public override Task WriteLineAsync(string? value) => throw new IOException("No space left on device");
        public override Task WriteAsync(string? value) => throw new IOException("No space left on device");
    }
}
