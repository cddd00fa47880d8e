using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>STYLE: parse problems are collected and reported together, so a user fixes them all in one edit.</summary>
public sealed class AllProblemsTogetherTests
{
    [Fact]
    public void Every_problem_of_a_file_is_reported_in_one_go_in_file_order()
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
                    materialise: replace
                    depends_on: [mart.customers]
              - name: mart
                steps:
                  - name: revenue
                    sql: revenu.sql
                  - name: customers
                    sql: customers.sql
                    materialize: upsert
                    delete_missing: maybe
                  - name: totals
                    sql: customers.sql
                    materialize: replce
            """, ("orders.sql", "SELECT 1 AS id"), ("revenue.sql", "SELECT 1 AS id"), ("customers.sql", "SELECT 1 AS id"));

        var errors = pipeline.LoadErrors();

        Assert.Equal(
        [
            "(10,9) unknown key 'materialise' in a step of layer 'model'",
            "(15,14) step 'mart.revenue': SQL file not found: revenu.sql (looked in " + pipeline.Display("") + ")",
            "(18,22) step 'mart.customers' is an upsert and needs 'key'",
            "(19,25) 'delete_missing' in step 'mart.customers' must be true or false, found 'maybe'",
            "(22,22) step 'mart.totals': unknown materialization 'replce'",
            "(11,22) step 'model.orders' depends on 'mart.customers' of a later layer",
        ], errors.Select(e => $"({e.Span!.Line},{e.Span.Column}) {e.Message}"));
        Assert.All(errors, e => Assert.Equal(pipeline.Display(), e.Span!.File));
    }
}
