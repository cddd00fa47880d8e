using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>SPEC §6: <c>materialize</c> is script, upsert, replace or incremental; upserts need a key.</summary>
public sealed class MaterializationConfigTests
{
    [Fact]
    public void Unknown_materialization_suggests_the_nearest_one()
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
                    materialize: replce
            """, ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 22, "step 'mart.revenue': unknown materialization 'replce'", "did you mean 'replace'?");
    }

    [Fact]
    public void Materialization_names_are_lower_case()
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
                    materialize: Replace
            """, ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 22, "step 'mart.revenue': unknown materialization 'Replace'", "did you mean 'replace'?");
    }

    [Fact]
    public void Upsert_without_key_is_an_error_at_the_materialization()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: customers
                    sql: customers.sql
                    materialize: upsert
            """, ("customers.sql", "SELECT 1 AS customer_id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 22, "step 'mart.customers' is an upsert and needs 'key'",
            "add 'key: [id]' naming the columns that identify a row");
    }

    [Fact]
    public void Incremental_without_cursor_is_an_error_at_the_materialization()
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
                    materialize: incremental
                    key: [order_id]
            """, ("orders.sql", "SELECT 1 AS order_id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 22, "step 'mart.orders' is incremental and needs 'cursor'",
            "name the column that grows with every change, e.g. cursor: updated_at");
    }

    [Fact]
    public void Materialization_defaults_to_script()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: refresh
                    sql: refresh.sql
            """, ("refresh.sql", "ANALYZE"));

        var step = Assert.Single(pipeline.Load().Steps);

        Assert.Equal(Materialization.Script, step.Materialize);
        Assert.Equal("refresh", step.Table);
    }
}
