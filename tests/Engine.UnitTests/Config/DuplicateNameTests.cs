using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>SPEC §3: step names (<c>layer.step</c>) and layer names are unique.</summary>
public sealed class DuplicateNameTests
{
    [Fact]
    public void Duplicate_step_name_is_reported_at_the_second_step_naming_the_first()
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
                  - name: revenue
                    sql: revenue.sql
            """, ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 9,
            $"duplicate step name 'mart.revenue' (first defined at {pipeline.Display()}(7,9))",
            "step names must be unique within a layer");
    }

    [Fact]
    public void The_same_step_name_in_two_layers_is_allowed()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              model: shop_model
              mart: shop_mart
            layers:
              - name: model
                steps:
                  - name: revenue
                    sql: revenue.sql
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
            """, ("revenue.sql", "SELECT 1 AS id"));

        Assert.Equal(["model.revenue", "mart.revenue"], pipeline.Load().Steps.Select(s => s.Id.ToString()));
    }

    [Fact]
    public void Duplicate_layer_name_is_reported_at_the_second_layer()
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
              - name: mart
                steps:
                  - name: customers
                    sql: revenue.sql
            """, ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 5, "duplicate layer name 'mart'");
    }
}
