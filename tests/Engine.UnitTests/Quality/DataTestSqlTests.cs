using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Quality;

/// <summary>SPEC §11: each data test compiles to one valid query returning the offending rows; <c>where:</c> narrows the rows first.</summary>
public sealed class DataTestSqlTests
{
    private static string DataTestSql(string tests)
    {
        using var pipeline = TempPipeline.Create($"""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: customers
                    sql: customers.sql
                  - name: orders
                    sql: orders.sql
                    tests:
                      {tests}
            """, ("customers.sql", "SELECT 1 AS customer_id"), ("orders.sql", "SELECT 1 AS order_id, 1 AS customer_id, 'completed' AS status"));
        return Assert.Single(pipeline.Build().Steps[new StepId("mart", "orders")].Tests).Sql;
    }

    [Fact]
    public void Relationships_test_finds_children_without_a_parent()
    {
        Assert.Equal(
            "SELECT \"customer_id\", count(*) AS rows FROM \"shop_mart\".\"orders\" AS child WHERE \"customer_id\" IS NOT NULL " +
            "AND NOT EXISTS (SELECT 1 FROM \"shop_mart\".\"customers\" AS parent WHERE parent.\"customer_id\" = child.\"customer_id\") GROUP BY \"customer_id\"",
            DataTestSql("- relationships: { column: customer_id, to: mart.customers }"));
    }

    [Fact]
    public void Relationships_test_with_where_aliases_the_filtered_rows_once()
    {
        Assert.Equal(
            "SELECT \"customer_id\", count(*) AS rows FROM (SELECT * FROM \"shop_mart\".\"orders\" WHERE status <> 'cancelled') AS child " +
            "WHERE \"customer_id\" IS NOT NULL " +
            "AND NOT EXISTS (SELECT 1 FROM \"shop_mart\".\"customers\" AS parent WHERE parent.\"customer_id\" = child.\"customer_id\") GROUP BY \"customer_id\"",
            DataTestSql("- relationships: { column: customer_id, to: mart.customers, where: \"status <> 'cancelled'\" }"));
    }

    [Fact]
    public void Where_narrows_the_rows_of_other_tests()
    {
        Assert.Equal(
            "SELECT \"order_id\", count(*) AS duplicates FROM (SELECT * FROM \"shop_mart\".\"orders\" WHERE status <> 'cancelled') AS filtered " +
            "GROUP BY \"order_id\" HAVING count(*) > 1",
            DataTestSql("- unique: { columns: [order_id], where: \"status <> 'cancelled'\" }"));
    }
}
