using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Cli;

/// <summary>SPEC §8: configuration errors exit 2 with the formatted error and never a stack trace.</summary>
public sealed class CliErrorTests
{
    [Fact]
    public async Task Config_error_exits_2_with_the_caret_snippet_and_no_stack_trace()
    {
        using var pipeline = CliPipeline.Create();
        pipeline.Write("pipeline.yaml", File.ReadAllText(pipeline.YamlPath).Replace("delete_missing: true", "delete_mising: true"));

        var outcome = await CliPipeline.RunAsync(pipeline, "validate");

        Assert.Equal((2, "", $"""
            {pipeline.Display()}(27,9): error: unknown key 'delete_mising' in a step of layer 'mart'
             27 |         delete_mising: true
                |         ^^^^^^^^^^^^^
              hint: did you mean 'delete_missing'?
              see: docs/reference.md#steps

            """), (outcome.ExitCode, outcome.Out, outcome.Error));
    }

    [Fact]
    public async Task Template_error_exits_2_with_the_caret_snippet()
    {
        using var pipeline = CliPipeline.Create();
        pipeline.Write("mart/revenue.sql", "SELECT count(*) AS orders\nFROM {{ ref \"staging.order\" }}");

        var outcome = await CliPipeline.RunAsync(pipeline, "plan");

        Assert.Equal((2, "", $$$"""
            {{{pipeline.Display("mart/revenue.sql")}}}(2,9): error: unknown step 'staging.order' in ref
             2 | FROM {{ ref "staging.order" }}
               |         ^^^^^^^^^^^^^^^^^^^
              hint: did you mean 'staging.orders'?

            """), (outcome.ExitCode, outcome.Out, outcome.Error));
    }

    [Fact]
    public async Task Every_config_error_is_printed_not_only_the_first()
    {
        using var pipeline = CliPipeline.Create();
        pipeline.Write("pipeline.yaml", File.ReadAllText(pipeline.YamlPath).Replace("materialize: replace", "materialize: replce").Replace("tags:", "tag:"));

        var outcome = await CliPipeline.RunAsync(pipeline, "validate");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal(2, outcome.Error.Split('\n').Count(line => line.Contains(": error: ")));
    }

    [Fact]
    public async Task Duplicate_step_names_are_a_config_error_not_an_internal_error()
    {
        using var pipeline = CliPipeline.Create();
        pipeline.Write("pipeline.yaml", File.ReadAllText(pipeline.YamlPath).Replace("name: dashboard", "name: revenue"));

        var outcome = await CliPipeline.RunAsync(pipeline, "validate");

        Assert.Equal(2, outcome.ExitCode);
        Assert.DoesNotContain("internal error", outcome.Error);
        Assert.Contains(": error: duplicate step name 'mart.revenue'", outcome.Error);
    }
}
