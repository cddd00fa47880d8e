using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>
/// <c>settings:</c> are set (SET LOCAL) first in every step's transaction, and rendered; a step's
/// own <c>settings:</c> add to them and win over them, in that step only.
/// </summary>
public sealed class SettingsTests
{
    private static TempPipeline Create(string settings, string stepSettings = "") => TempPipeline.Create($$"""
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
        {{stepSettings}}
              - name: customers
                sql: customers.sql
                materialize: upsert
                key: [id]
        """, ("orders.sql", "SELECT 1 AS id"), ("customers.sql", "SELECT 2 AS id"));

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

    [Fact]
    public void A_steps_own_settings_win_over_the_pipelines_in_that_step_only()
    {
        using var pipeline = Create("  work_mem: 64MB\n  random_page_cost: \"1.1\"",
            "        settings:\n          work_mem: 256MB\n          enable_hashagg: \"off\"");

        var steps = pipeline.Build().Steps;

        Assert.StartsWith("SET LOCAL enable_hashagg = 'off';\nSET LOCAL random_page_cost = '1.1';\nSET LOCAL work_mem = '256MB';\nSET LOCAL lacrei",
            steps[new StepId("mart", "orders")].Sql);
        Assert.StartsWith("SET LOCAL random_page_cost = '1.1';\nSET LOCAL work_mem = '64MB';\nSET LOCAL lacrei", steps[new StepId("mart", "customers")].Sql);
    }

    [Fact]
    public void A_steps_settings_refuse_what_is_not_a_setting_name()
    {
        using var pipeline = Create("  work_mem: 64MB", "        settings:\n          \"work_mem; DROP TABLE x\": 1GB");

        var error = Expect.Single(pipeline.LoadErrors());

        Assert.Equal("setting 'work_mem; DROP TABLE x' is not a PostgreSQL setting name", error.Message);
        Assert.Equal((pipeline.Display(), 14), (error.Span?.File, error.Span?.Line));
    }

    [Fact]
    public void A_steps_settings_refuse_the_timeouts_the_engine_acts_on_and_say_where_they_go()
    {
        using var pipeline = Create("  work_mem: 64MB", "        settings:\n          statement_timeout: 10min\n          lock_timeout: 1s");

        var errors = pipeline.LoadErrors();

        Assert.Equal(
            [
                ("set statement_timeout as a key of step 'mart.orders', not under settings:",
                    "the engine acts on it (docs/operations.md): 'statement_timeout: 10min' beside 'settings:'"),
                ("step 'mart.orders': lock_timeout is set for the whole pipeline, not under a step's settings:",
                    "the engine acts on it (docs/operations.md): 'lock_timeout: 1s' at the top level of pipeline.yaml"),
            ],
            errors.Select(e => (e.Message, e.Hint)).OrderByDescending(e => e.Message.StartsWith("set ")).ToList());
    }
}
