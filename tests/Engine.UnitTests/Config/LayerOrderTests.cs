using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>SPEC §5: <c>depends_on</c> names existing steps of the same or an earlier layer.</summary>
public sealed class LayerOrderTests
{
    [Fact]
    public void Depends_on_a_step_of_a_later_layer_is_an_error_at_the_reference()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              model: shop_model
              mart: shop_mart
            layers:
              - name: model
                steps:
                  - name: orders
                    sql: orders.sql
                    depends_on: [mart.revenue]
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
            """, ("orders.sql", "SELECT 1 AS id"), ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 10, 22, "step 'model.orders' depends on 'mart.revenue' of a later layer",
            "a step may read only from its own or earlier layers; move it to layer 'mart' or later");
    }

    [Fact]
    public void Depends_on_an_unknown_step_suggests_the_nearest_step()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: orders
                    sql: orders.sql
                  - name: revenue
                    sql: revenue.sql
                    depends_on: mart.order
            """, ("orders.sql", "SELECT 1 AS id"), ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 11, 21, "step 'mart.revenue' depends on unknown step 'mart.order'", "did you mean 'mart.orders'?");
    }

    [Fact]
    public void Depends_on_a_step_of_the_same_or_an_earlier_layer_loads()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              model: shop_model
              mart: shop_mart
            layers:
              - name: model
                steps:
                  - name: orders
                    sql: orders.sql
              - name: mart
                steps:
                  - name: customers
                    sql: orders.sql
                  - name: revenue
                    sql: revenue.sql
                    depends_on: [model.orders, mart.customers]
            """, ("orders.sql", "SELECT 1 AS id"), ("revenue.sql", "SELECT 1 AS id"));

        var revenue = pipeline.Load().Steps.Last();

        Assert.Equal(["model.orders", "mart.customers"], revenue.DependsOn.Select(d => d.Text));
    }
}
