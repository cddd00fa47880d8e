using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Cli;

/// <summary>
/// A two-layer pipeline for driving the CLI without a database:
/// customers → orders → revenue → dashboard, with customers, orders → customer_totals → dashboard.
/// </summary>
internal static class CliPipeline
{
    public static TempPipeline Create() => TempPipeline.Create("""
        name: shop
        schemas:
          staging: shop_staging
          mart: shop_mart
        layers:
          - name: staging
            steps:
              - name: customers
                sql: staging/customers.sql
                materialize: upsert
                key: [customer_id]
                tags: [daily]
              - name: orders
                sql: staging/orders.sql
                materialize: upsert
                key: [order_id]
          - name: mart
            steps:
              - name: revenue
                sql: mart/revenue.sql
                materialize: replace
                key: [day]
              - name: customer_totals
                sql: mart/customer_totals.sql
                materialize: upsert
                key: [customer_id]
                delete_missing: true
              - name: dashboard
                sql: mart/dashboard.sql
        """,
        ("staging/customers.sql", "SELECT 1 AS customer_id"),
        ("staging/orders.sql", "SELECT 10 AS order_id, c.customer_id FROM {{ ref \"staging.customers\" }} AS c"),
        ("mart/revenue.sql", "SELECT DATE '{{ run.as_of }}' AS day, count(*) AS orders FROM {{ ref \"staging.orders\" }}"),
        ("mart/customer_totals.sql",
            "SELECT c.customer_id, count(o.order_id) AS orders\nFROM {{ ref \"staging.orders\" }} AS o\nJOIN {{ ref \"staging.customers\" }} AS c USING (customer_id)\nGROUP BY c.customer_id"),
        ("mart/dashboard.sql",
            "CREATE OR REPLACE VIEW {{ this }} AS\nSELECT * FROM {{ ref \"mart.revenue\" }}, {{ ref \"mart.customer_totals\" }}"));

    public static Task<CliOutcome> RunAsync(TempPipeline pipeline, params string[] args) =>
        EngineCli.RunAsync([.. args, "--project", pipeline.YamlPath]);
}
