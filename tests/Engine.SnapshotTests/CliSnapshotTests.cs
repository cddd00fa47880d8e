namespace Lacrei.Engine.Tests;

/// <summary><c>engine plan</c> for both pipelines and every command's <c>--help</c>, as approved text.</summary>
public sealed class CliSnapshotTests
{
    [Theory]
    [InlineData("shop")]
    [InlineData("lacrei")]
    public async Task Plan_output_matches_the_approved_file(string pipeline)
    {
        var outcome = await EngineCli.RunAsync(["plan", "--project", Pipelines.Files[pipeline], "--as-of", "2025-12-01"]);

        Assert.True(outcome.ExitCode == 0 && outcome.Error == "", outcome.ToString());
        Approval.Verify("cli", $"plan.{pipeline}", outcome.Out, "txt");
    }

    /// <summary>The machine-readable plan, golden: deterministic without a database (no clock, no run id).</summary>
    [Theory]
    [InlineData("shop")]
    [InlineData("lacrei")]
    public async Task Plan_json_matches_the_approved_file(string pipeline)
    {
        var noDatabase = new Dictionary<string, string?> { ["DATABASE_URL"] = null, ["PGHOST"] = null, ["PGDATABASE"] = null, ["PGSERVICE"] = null };
        var outcome = await EngineCli.RunAsync(["plan", "--json", "--project", Pipelines.Files[pipeline], "--as-of", "2025-12-01"], noDatabase);

        Assert.True(outcome.ExitCode == 0 && outcome.Error == "", outcome.ToString());
        Approval.Verify("cli", $"plan.{pipeline}", outcome.Out, "json");
    }

    /// <summary>Every command the root help lists, and the root itself ("engine").</summary>
    public static TheoryData<string> Commands()
    {
        var help = EngineCli.RunAsync(["--help"]).GetAwaiter().GetResult().Out;
        var data = new TheoryData<string> { "engine" };
        foreach (var line in help[(help.IndexOf("Commands:\n", StringComparison.Ordinal) + "Commands:\n".Length)..].Split('\n'))
            // "ls, plan  List …", "init <DIR>  …": aliases first, then the name and its arguments.
            if (line.StartsWith("  ", StringComparison.Ordinal)) data.Add(line.Trim().Split("  ")[0].Split(", ")[^1].Split(" ")[0]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_matches_the_approved_file(string command)
    {
        var outcome = await EngineCli.RunAsync(command == "engine" ? ["--help"] : [command, "--help"]);

        Assert.True(outcome.ExitCode == 0 && outcome.Error == "", outcome.ToString());
        Approval.Verify("cli", $"help.{command}", outcome.Out, "txt");
    }

    [Fact]
    public void Every_approved_help_file_belongs_to_a_command()
    {
        var commands = Enumerable.Select<object[], string>(Commands(), row => (string)row[0]).ToHashSet();
        var stale = Approval.Files("cli", "txt").Where(f => f.StartsWith("help.", StringComparison.Ordinal) && !commands.Contains(f["help.".Length..])).ToList();

        Assert.True(stale.Count == 0, "approved files of nothing (delete them): " + string.Join(", ", stale));
    }
}
