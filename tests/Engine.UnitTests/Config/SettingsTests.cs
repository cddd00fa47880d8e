using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary><c>settings:</c> are set (SET LOCAL) first in every step's transaction, and rendered.</summary>
public sealed class SettingsTests
{
    private static TempPipeline Create(string settings) => TempPipeline.Create($$"""
        name: shop
        settings:
        {{settings}}
        schemas:
          mart: shop_mart
        layers:
          - name: mart
            steps:
              - name: orders
                sql: orders.sql
                materialize: upsert
                key: [id]
        """, ("orders.sql", "SELECT 1 AS id"));

    [Fact]
    public void Settings_open_every_step_in_name_order()
    {
        using var pipeline = Create("  work_mem: 64MB\n  random_page_cost: \"1.1\"");

        var sql = pipeline.Build().Steps[new StepId("mart", "orders")].Sql;

        Assert.StartsWith("SET LOCAL random_page_cost = '1.1';\nSET LOCAL work_mem = '64MB';\n", sql);
    }

    [Fact]
    public void A_name_that_is_not_a_setting_is_refused_before_any_sql()
    {
        using var pipeline = Create("  \"work_mem; DROP TABLE x\": 64MB");

        var error = Expect.Single(pipeline.LoadErrors());

        Assert.Equal("setting 'work_mem; DROP TABLE x' is not a PostgreSQL setting name", error.Message);
        Assert.Equal("use the name as in postgresql.conf, e.g. random_page_cost or work_mem", error.Hint);
    }
}
