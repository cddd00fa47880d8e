namespace Lacrei.Engine.Tests;

public sealed class FailureTests
{
    [Fact]
    public async Task Failed_step_rolls_back_skips_descendants_and_independent_steps_still_run()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var dailyBefore = await pipeline.ContentAsync("{mart}.daily_revenue");
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = total + 1");
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("sum(f.total) AS revenue", "sum(f.total) / 0 AS revenue"));

        var run = await pipeline.Engine("run", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"status\": \"partial\"", run.Out);
        Assert.Equal(dailyBefore, await pipeline.ContentAsync("{mart}.daily_revenue"));
        Assert.Equal("failed", await pipeline.ScalarAsync<string>(StepStatus("mart.daily_revenue")));
        Assert.Equal("skipped", await pipeline.ScalarAsync<string>(StepStatus("mart.revenue_by_region")));
        Assert.Equal("success", await pipeline.ScalarAsync<string>(StepStatus("mart.customer_totals")));
        Assert.Equal("division by zero", await pipeline.ScalarAsync<string>(
            "SELECT error FROM {meta}.run_steps WHERE step = 'mart.daily_revenue' ORDER BY started_at DESC LIMIT 1"));
        // Division by zero has no position: it is the whole statement's, which the engine's wrapper holds.
        Assert.Matches(@"target/rendered/mart/daily_revenue\.sql\(\d+,\d+\)", await pipeline.ScalarAsync<string>(
            "SELECT error_location FROM {meta}.run_steps WHERE step = 'mart.daily_revenue' ORDER BY started_at DESC LIMIT 1"));
    }

    [Fact]
    public async Task Error_output_names_the_template_line_and_column_with_a_caret_and_the_rendered_place()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("model/order_facts.sql", sql => sql.Replace("o.total,", "o.totl,"));

        var run = await pipeline.Engine("run", "--only", "+model.order_facts");

        Assert.True(run.ExitCode == 1, run.ToString());
        // The template's line 7; in the rendered file three lines of wrapper precede it (line 10).
        Assert.Contains("model/order_facts.sql(7,5): error: step model.order_facts failed: column o.totl does not exist", run.Error);
        Assert.DoesNotContain("target/rendered/model/order_facts.sql(7,5)", run.Error);
        Assert.Contains(" 7 |     o.totl,", run.Error);
        Assert.Contains("  rendered: ", run.Error);
        Assert.Contains("target/rendered/model/order_facts.sql(10,5)", run.Error);
        Assert.Contains("   |     ^", run.Error);
        Assert.Contains("hint: Perhaps you meant to reference the column \"o.total\".", run.Error);
    }

    [Fact]
    public async Task Atomic_run_leaves_nothing_behind_when_a_step_fails()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("mart/customer_totals.sql", sql => sql.Replace("count(*) AS orders", "count(*) / 0 AS orders"));

        var run = await pipeline.Engine("run", "--atomic", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("rolled back: --atomic and step mart.customer_totals failed", run.Out);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>(
            "SELECT count(*) FROM pg_tables WHERE schemaname IN (" + string.Join(",", new[] { "staging", "model", "mart" }.Select(k => "'" + pipeline.Schema(k).Trim('"') + "'")) + ")"));
    }

    [Fact]
    public async Task Changed_select_shape_is_reported_with_the_differing_columns()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        pipeline.EditFile("mart/customer_totals.sql", sql => sql.Replace("count(*) AS orders,", "count(*) AS order_count,"));

        var run = await pipeline.Engine("run", "--only", "mart.customer_totals");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("the columns of the SELECT of mart.customer_totals no longer match table", run.Error);
        Assert.Contains("missing from the SELECT: orders; not in the table: order_count", run.Error);
    }

    [Fact]
    public async Task Full_refresh_recreates_a_replace_table_whose_shape_changed()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        // A new column; the view mart.revenue_by_region on the table still works on the new shape.
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("count(*) AS orders", "count(*) AS orders, count(DISTINCT f.customer_id) AS customers"));
        // Rebuilt without --full-refresh (beside the old table, the view on it kept), and with it.
        var rebuilt = await pipeline.Engine("run", "--only", "mart.daily_revenue");
        Assert.True(rebuilt.ExitCode == 0, rebuilt.ToString());

        var refreshed = await pipeline.Engine("run", "--only", "mart.daily_revenue", "--full-refresh");

        Assert.True(refreshed.ExitCode == 0, refreshed.ToString());
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT count(customers) = count(*) AND count(*) > 0 FROM {mart}.daily_revenue"));
        Assert.Equal(4L, await pipeline.ScalarAsync<long>("SELECT sum(orders)::bigint FROM {mart}.revenue_by_region"));
    }

    private static string StepStatus(string step) =>
        $"SELECT s.status FROM {{meta}}.run_steps s JOIN {{meta}}.runs r USING (run_id) WHERE s.step = '{step}' ORDER BY r.started_at DESC LIMIT 1";
}
