using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>
/// SPEC §9.6: k (<c>vars.min_cell_size</c>) has a floor of 5. A smaller value, from pipeline.yaml
/// or <c>--var</c>, is a configuration error (exit 2) unless the chosen target in pipeline.yaml
/// says <c>allow_small_cells: true</c> (test fixtures); that permission is never a command-line switch.
/// </summary>
public sealed class MinCellSizeFloorTests : IDisposable
{
    private const string Reason = "below the floor of 5: a published group that small can single out a person";
    private const string Hint = "only a target in pipeline.yaml with allow_small_cells: true (test fixtures) may go below 5; see docs/privacy.md";

    private readonly TempPipeline _pipeline = TempPipeline.Create("""
        name: insights
        vars:
          timezone: America/Sao_Paulo
          min_cell_size: 5
        schemas:
          mart: insights_mart
        targets:
          ci: { schema_suffix: _ci }
          lenient: { vars: { min_cell_size: 4 } }
          fixture: { allow_small_cells: true }
        layers: []
        """);

    public void Dispose() => _pipeline.Dispose();

    private Project Resolve(string? target = null, params string[] vars) => Project.Resolve(_pipeline.Load(), new ProjectOptions(target, [.. vars]));

    private Diagnostic Refused(string? target = null, params string[] vars) =>
        Assert.Single(Assert.Throws<PipelineException>(() => Resolve(target, vars)).Diagnostics);

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    public void A_var_below_5_is_a_usage_error_that_says_why(string k)
    {
        var error = Refused(null, "min_cell_size=" + k);

        Expect.Diagnostic(error, ErrorKind.Usage, $"--var min_cell_size={k} is {Reason}", Hint);
    }

    [Fact]
    public void A_var_below_5_is_refused_on_a_target_without_allow_small_cells()
    {
        var error = Refused("ci", "min_cell_size=1");

        Expect.Diagnostic(error, ErrorKind.Usage, $"--var min_cell_size=1 is {Reason}", Hint);
    }

    [Fact]
    public void A_yaml_value_below_5_is_a_configuration_error_at_its_line()
    {
        using var pipeline = TempPipeline.Create("""
            name: insights
            vars:
              min_cell_size: 3
            schemas:
              mart: insights_mart
            layers: []
            """);

        var error = Assert.Single(Assert.Throws<PipelineException>(() => pipeline.Resolve()).Diagnostics);

        Assert.Equal(ErrorKind.Config, error.Kind);
        Expect.Diagnostic(error, pipeline.Display(), 3, 18, $"vars.min_cell_size is 3, {Reason}", Hint);
    }

    [Fact]
    public void A_target_var_below_5_is_a_configuration_error_at_its_line()
    {
        var error = Refused("lenient");

        Assert.Equal(ErrorKind.Config, error.Kind);
        Expect.Diagnostic(error, _pipeline.Display(), 9, 37, $"targets.lenient.vars.min_cell_size is 4, {Reason}", Hint);
    }

    [Fact]
    public void A_command_line_value_of_5_or_more_overrides_a_small_yaml_value()
    {
        Assert.Equal("7", Resolve("lenient", "min_cell_size=7").Vars["min_cell_size"]);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("5")]
    public void A_target_with_allow_small_cells_accepts_any_k_of_1_or_more(string k)
    {
        var project = Resolve("fixture", "min_cell_size=" + k);

        Assert.Equal((k, true), (project.Vars["min_cell_size"], project.AllowsSmallCells));
    }

    [Fact]
    public void Allow_small_cells_is_not_a_command_line_switch()
    {
        var error = Refused(null, "allow_small_cells=true");

        Expect.Diagnostic(error, ErrorKind.Usage, "--var allow_small_cells: no such var in pipeline.yaml", "known vars: min_cell_size, timezone");
    }

    [Theory]
    [InlineData("five")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("5.5")]
    public void A_k_that_is_not_a_whole_number_of_1_or_more_is_refused_even_where_small_cells_are_allowed(string k)
    {
        var error = Refused("fixture", "min_cell_size=" + k);

        Expect.Diagnostic(error, ErrorKind.Usage, $"--var min_cell_size={k} is not a whole number of 1 or more",
            "min_cell_size is the smallest group of people a mart publishes, e.g. 5");
    }

    [Fact]
    public void A_pipeline_without_min_cell_size_has_nothing_to_check()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers: []
            """);

        Assert.False(pipeline.Resolve().Vars.ContainsKey("min_cell_size"));
    }
}
