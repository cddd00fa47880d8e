using System.Text.Json.Nodes;

namespace Lacrei.Engine.Tests.Cli;

/// <summary>SPEC §8: --json is accepted by every command that prints a result, and refused by the others.</summary>
public sealed class JsonOutputTests
{
    private static readonly string Shop = Repo.Path("tests", "fixtures", "shop", "pipeline.yaml");

    [Fact]
    public async Task Validate_json_counts_what_it_checked()
    {
        var outcome = await EngineCli.RunAsync(["validate", "--json", "--project", Shop]);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var json = JsonNode.Parse(outcome.Out)!;
        Assert.Equal((true, "shop-example", 6, 1), ((bool)json["valid"]!, (string)json["pipeline"]!, (int)json["steps"]!, (int)json["seeds"]!));
    }

    [Fact]
    public async Task Validate_json_lists_every_problem_with_its_place_and_exits_2()
    {
        using var pipeline = CliPipeline.Create();
        pipeline.Write("pipeline.yaml", File.ReadAllText(pipeline.YamlPath).Replace("materialize: upsert", "materialise: upsert"));

        var outcome = await EngineCli.RunAsync(["validate", "--json", "--project", pipeline.YamlPath]);

        Assert.Equal(2, outcome.ExitCode);
        var problems = JsonNode.Parse(outcome.Out)!["problems"]!.AsArray();
        Assert.False((bool)JsonNode.Parse(outcome.Out)!["valid"]!);
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal(pipeline.YamlPath, Path.GetFullPath((string)p!["file"]!)));
        Assert.Contains(problems, p => ((string)p!["message"]!).Contains("materialise", StringComparison.Ordinal) && (int)p["line"]! > 0);
    }

    [Fact]
    public async Task Graph_json_has_every_node_and_edge()
    {
        var outcome = await EngineCli.RunAsync(["graph", "--json", "--project", Shop]);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var json = JsonNode.Parse(outcome.Out)!;
        Assert.Equal(7, json["nodes"]!.AsArray().Count);
        Assert.Contains(json["edges"]!.AsArray(), e => (string)e!["from"]! == "seeds.order_statuses" && (string)e["to"]! == "staging.orders");
    }

    [Fact]
    public async Task Ls_is_plan()
    {
        var plan = await EngineCli.RunAsync(["plan", "--project", Shop, "--only", "mart"]);
        var ls = await EngineCli.RunAsync(["ls", "--project", Shop, "--only", "mart"]);

        Assert.Equal(0, ls.ExitCode);
        Assert.Equal(plan.Out, ls.Out);
    }

    [Theory]
    [InlineData("render")]
    [InlineData("hash-password")]
    public async Task A_command_without_json_output_refuses_the_option(string command)
    {
        var outcome = await EngineCli.RunAsync([command, "--json", "--project", Shop]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.Out);
        Assert.StartsWith($"error: engine {command} has no JSON output", outcome.Error);
    }
}
