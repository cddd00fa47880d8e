using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Tests.Templating;

namespace Lacrei.Engine.Tests.Sql;

/// <summary>
/// SPEC §6: upsert, replace and incremental SQL is exactly one SELECT, and no step contains
/// transaction control; both are configuration errors at the template's line and column.
/// </summary>
public sealed class StepSqlRulesTests
{
    private static string Error(string sql, string materialize)
    {
        using var pipeline = TemplatePipeline.Create(sql, materialize);
        var error = Assert.Throws<PipelineException>(() => pipeline.Build());
        return ErrorFormatter.Format(error).Replace(pipeline.Display("mart/revenue.sql"), "mart/revenue.sql");
    }

    [Fact]
    public void An_upsert_with_a_second_statement_is_refused_at_the_second_statement()
    {
        Assert.StartsWith(
            "mart/revenue.sql(2,1): error: step 'mart.revenue' (upsert) must be exactly one SELECT, found a second statement: DELETE FROM\n",
            Error("SELECT 1 AS id;\nDELETE FROM {{ ref \"staging.orders\" }}", "upsert"));
    }

    [Fact]
    public void A_replace_that_is_not_a_select_is_refused()
    {
        Assert.StartsWith("mart/revenue.sql(1,1): error: step 'mart.revenue' (replace) must be one SELECT, found INSERT INTO\n",
            Error("INSERT INTO x SELECT 1", "replace"));
    }

    [Fact]
    public void A_data_modifying_cte_is_refused()
    {
        Assert.StartsWith("mart/revenue.sql(1,15): error: step 'mart.revenue' (upsert) must be a SELECT that writes nothing, found DELETE\n",
            Error("WITH gone AS (\n  DELETE FROM t RETURNING id) SELECT id FROM gone".Replace("\n  ", ""), "upsert"));
    }

    [Fact]
    public void Select_into_is_refused()
    {
        Assert.Contains("must be a SELECT that writes nothing, found SELECT … INTO", Error("SELECT 1 AS id INTO new_table", "upsert"));
    }

    [Fact]
    public void Comments_a_trailing_semicolon_and_row_locks_are_fine()
    {
        using var pipeline = TemplatePipeline.Create("-- the grain\nSELECT 1 AS id /* ; */ FROM (SELECT 1) AS t;\n", "upsert");
        pipeline.Build();
    }

    [Theory]
    [InlineData("SELECT 1;\nCOMMIT;", "COMMIT", 2)]
    [InlineData("BEGIN;\nSELECT 1;", "BEGIN", 1)]
    [InlineData("SELECT 1;\nROLLBACK", "ROLLBACK", 2)]
    [InlineData("SELECT 1;\nSAVEPOINT a", "SAVEPOINT", 2)]
    [InlineData("SELECT 1;\nvacuum analyze t", "VACUUM", 2)]
    [InlineData("SELECT 1;\nCREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY", 2)]
    [InlineData("SELECT 1;\nPREPARE TRANSACTION 'x'", "PREPARE TRANSACTION", 2)]
    [InlineData("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;", "SET TRANSACTION", 1)]
    public void Transaction_control_in_a_script_step_is_refused(string sql, string what, int line)
    {
        Assert.StartsWith($"mart/revenue.sql({line},1): error: step 'mart.revenue': {what} is transaction control, which a step may not contain\n",
            Error(sql, "script"));
    }

    [Fact]
    public void Transaction_control_inside_a_function_body_is_the_functions_business()
    {
        using var pipeline = TemplatePipeline.Create("CREATE OR REPLACE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;\nSELECT 1;", "script");
        pipeline.Build();
    }
}
