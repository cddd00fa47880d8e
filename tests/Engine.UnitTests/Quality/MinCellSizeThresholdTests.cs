using Lacrei.Engine.Sql;
using Lacrei.Engine.Config;
using Lacrei.Engine.Quality;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Quality;

/// <summary>
/// SPEC §9.6, §11: the <c>min_cell_size</c> data test finds published counts between 1 and
/// max(5, k) − 1, so the variable it guards cannot switch it off; only a target with
/// <c>allow_small_cells: true</c> lets it follow a k below 5, and a <c>threshold:</c> written on the
/// test in pipeline.yaml is taken as written.
/// </summary>
public sealed class MinCellSizeThresholdTests : IDisposable
{
    private readonly TempPipeline _pipeline = TempPipeline.Create("""
        name: insights
        vars:
          min_cell_size: 5
        schemas:
          mart: insights_mart
        targets:
          fixture: { allow_small_cells: true }
        layers:
          - name: mart
            steps:
              - name: patients
                sql: patients.sql
                tests:
                  - min_cell_size: { column: total_patients }
                  - min_cell_size: { column: active_patients, threshold: 2 }
        """, ("patients.sql", "SELECT 1 AS total_patients, 1 AS active_patients"));

    public void Dispose() => _pipeline.Dispose();

    private static string Sql(Project project, int test) =>
        DataTestSql.Offending(project, project.Config.Steps.Single(), project.Config.Steps.Single().Tests[test], null);

    private Project Resolve(string? target = null, params string[] vars) => _pipeline.Resolve(new ProjectOptions(target, [.. vars]));

    [Theory]
    [InlineData("5", 4)]
    [InlineData("8", 7)]
    public void The_test_finds_counts_below_k_when_k_is_5_or_more(string k, int below)
    {
        Assert.Equal($"SELECT * FROM \"insights_mart\".\"patients\" WHERE \"total_patients\" BETWEEN 1 AND {below}",
            Sql(Resolve(null, "min_cell_size=" + k), 0));
    }

    [Fact]
    public void A_k_below_5_that_got_past_the_configuration_check_still_tests_against_5()
    {
        var project = Resolve() with { Vars = Resolve().Vars.SetItem("min_cell_size", "1") };

        Assert.Equal("SELECT * FROM \"insights_mart\".\"patients\" WHERE \"total_patients\" BETWEEN 1 AND 4", Sql(project, 0));
    }

    [Fact]
    public void On_a_target_that_allows_small_cells_the_test_follows_k()
    {
        Assert.Equal("SELECT * FROM \"insights_mart\".\"patients\" WHERE \"total_patients\" BETWEEN 1 AND 1",
            Sql(Resolve("fixture", "min_cell_size=2"), 0));
    }

    [Fact]
    public void A_threshold_written_on_the_test_is_taken_as_written()
    {
        Assert.Equal("SELECT * FROM \"insights_mart\".\"patients\" WHERE \"active_patients\" BETWEEN 1 AND 1", Sql(Resolve(), 1));
    }
}
