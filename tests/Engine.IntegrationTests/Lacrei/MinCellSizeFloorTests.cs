using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Config;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// SPEC §9.6: k has a floor. <c>engine run --var min_cell_size=1</c> (the privacy review's switch
/// that published 2,015 single-person rows) and a value of 3 in pipeline.yaml are configuration
/// errors: exit 2 with the reason, before any SQL runs, so the published marts stay as they were.
/// </summary>
public sealed class MinCellSizeFloorTests
{
    private const string Reason = "below the floor of 5: a published group that small can single out a person";
    private const string Hint = "  hint: only a target in pipeline.yaml with allow_small_cells: true (test fixtures) may go below 5; see docs/privacy.md\n";

    [Fact]
    public async Task Run_with_var_min_cell_size_1_exits_2_with_the_reason_and_leaves_the_marts_as_they_were()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);
        var before = await MartsAsync(p);

        var run = await RunAsync(p, vars: ["min_cell_size=1"], args: ["run", "--only", "mart"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"error: --var min_cell_size=1 is {Reason}\n{Hint}", run.Error);
        Assert.Equal(before, await MartsAsync(p));
    }

    [Fact]
    public async Task A_value_of_3_in_pipeline_yaml_on_a_target_without_allow_small_cells_exits_2_at_its_line()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        p.EditFile("pipeline.yaml", yaml => yaml.Replace("  min_cell_size: 5 ", "  min_cell_size: 3 "));

        var run = await RunAsync(p);
        var onCi = await RunAsync(p, target: "ci");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"{DisplayPath.Of(p.YamlPath)}(7,18): error: vars.min_cell_size is 3, {Reason}\n", run.Error);
        Assert.EndsWith(Hint, run.Error);
        Assert.True(onCi.ExitCode == 2, onCi.ToString());
        Assert.Equal(0, await p.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + p.Schema("mart").Trim('"') + "'"));
    }

    [Fact]
    public async Task A_target_with_allow_small_cells_may_run_at_k_1()
    {
        await using var p = SmallCellsPipeline();
        await CreateSourceAsync(p);

        await RunOkAsync(p, vars: ["min_cell_size=1"], target: SmallCells);
    }

    [Fact]
    public async Task The_min_cell_size_test_checks_against_5_so_a_mart_that_publishes_small_cells_is_not_published()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);
        var before = await p.ContentAsync("{mart}.patient_disability");
        // A mistake in the SQL: the mart folds at k = 1 whatever the variable says.
        p.EditFile("pipelines/lacrei/mart/patient_disability.sql", sql => sql.Replace("CAST('{{ vars.min_cell_size }}' AS integer)", "1"));

        var run = await RunAsync(p, args: ["run", "--json", "--only", "mart.patient_disability"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("\"test\": \"min_cell_size(total_patients)\"", run.Out);
        Assert.Equal(before, await p.ContentAsync("{mart}.patient_disability"));
    }

    private static async Task<string> MartsAsync(IsolatedPipeline p) => string.Join("\n---\n", await Task.WhenAll(
        new[] { "patients", "patient_disability", "professionals", "professional_appointments" }.Select(t => p.ContentAsync("{mart}." + t))));
}
