using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Graph;

/// <summary>SPEC §5: a cycle is an error that prints its path, at the reference that closes it.</summary>
public sealed class CycleTests
{
    private const string Hint = "a step cannot depend, directly or through others, on itself; remove one of these references";

    /// <summary>revenue → customers → summary → revenue, written with refs inside one layer.</summary>
    private static TempPipeline ThreeStepCycle() => TempPipeline.Create("""
        name: shop
        schemas:
          mart: shop_mart
        layers:
          - name: mart
            steps:
              - name: revenue
                sql: revenue.sql
              - name: customers
                sql: customers.sql
              - name: summary
                sql: summary.sql
        """,
        ("revenue.sql", "SELECT s.id\nFROM {{ ref \"mart.summary\" }} AS s"),
        ("customers.sql", "SELECT r.id\nFROM {{ ref \"mart.revenue\" }} AS r"),
        ("summary.sql", "SELECT c.id\nFROM {{ ref \"mart.customers\" }} AS c"));

    [Fact]
    public void Cycle_is_printed_as_a_path_from_the_first_declared_step_back_to_it()
    {
        using var pipeline = ThreeStepCycle();

        var error = Expect.Single(pipeline.BuildErrors());

        Expect.Diagnostic(error, pipeline.Display("revenue.sql"), 2, 9, "dependency cycle: mart.revenue → mart.customers → mart.summary → mart.revenue", Hint);
    }

    [Fact]
    public void Cycle_error_points_at_the_reference_that_closes_the_printed_path()
    {
        using var pipeline = ThreeStepCycle();

        var error = Expect.Single(pipeline.BuildErrors());

        // The last arrow "X → Y" of the path is the ref to X written in Y's SQL.
        var path = error.Message["dependency cycle: ".Length..].Split(" → ");
        Assert.Equal(4, path.Length);
        Assert.Equal(path[0], path[^1]);
        var (upstream, step) = (path[^2], path[^1]);
        Assert.Equal(pipeline.Display(step["mart.".Length..] + ".sql"), error.Span!.File);
        Assert.Equal((2, 9), (error.Span.Line, error.Span.Column));
        Assert.Equal($"ref \"{upstream}\"".Length, error.Span.Length);
    }

    [Fact]
    public void Cycle_through_depends_on_points_into_pipeline_yaml()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
                    depends_on: [mart.customers]
                  - name: customers
                    sql: revenue.sql
                    depends_on: [mart.revenue]
            """, ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.BuildErrors());

        // Whichever step the path starts from, the span is the depends_on entry of the last arrow.
        var closesAtRevenue = error.Message == "dependency cycle: mart.customers → mart.revenue → mart.customers" ? false
            : error.Message == "dependency cycle: mart.revenue → mart.customers → mart.revenue" ? true
            : throw new Xunit.Sdk.XunitException("unexpected message: " + error.Message);
        Expect.Diagnostic(error, pipeline.Display(), closesAtRevenue ? 9 : 12, 22, error.Message, Hint);
    }

    [Fact]
    public void Steps_downstream_of_a_cycle_are_not_part_of_the_printed_path()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: report
                    sql: report.sql
                  - name: revenue
                    sql: revenue.sql
                    depends_on: [mart.customers]
                  - name: customers
                    sql: revenue.sql
                    depends_on: [mart.revenue]
            """, ("report.sql", "SELECT * FROM {{ ref \"mart.revenue\" }}"), ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.BuildErrors());

        Assert.DoesNotContain("mart.report", error.Message);
        Assert.Contains(error.Message, new[] { "dependency cycle: mart.revenue → mart.customers → mart.revenue", "dependency cycle: mart.customers → mart.revenue → mart.customers" });
    }
}
