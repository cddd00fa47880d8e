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

        Expect.Diagnostic(error, pipeline.Display(), 9, 22, "step 'mart.orders' is incremental and needs 'cursor' or 'scope'",
            "name the column that grows with every change (cursor: updated_at), or a SQL file selecting the keys to recompute from upstream changes (scope: ...)");
    }

    [Fact]
    public void A_scope_needs_an_incremental_step_and_excludes_a_cursor()
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
                    materialize: upsert
                    key: [order_id]
                    scope: orders.scope.sql
                  - name: totals
                    sql: orders.sql
                    materialize: incremental
                    key: [order_id]
                    cursor: updated_at
                    scope: orders.scope.sql
                  - name: lost
                    sql: orders.sql
                    materialize: incremental
                    key: [order_id]
                    scope: missing.scope.sql
            """, ("orders.sql", "SELECT 1 AS order_id"), ("orders.scope.sql", "SELECT 1 AS order_id"));

        var errors = pipeline.LoadErrors();

        Assert.Equal(3, errors.Count);
        Expect.Diagnostic(errors[0], pipeline.Display(), 11, 16, "step 'mart.orders': 'scope' applies to incremental steps only",
            "add 'materialize: incremental'");
        Assert.Equal("step 'mart.totals': 'cursor' and 'scope' are two ways of being incremental; keep one", errors[1].Message);
        Assert.StartsWith("step 'mart.lost': SQL file not found: missing.scope.sql", errors[2].Message);
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
