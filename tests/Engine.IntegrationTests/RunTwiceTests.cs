namespace Lacrei.Engine.Tests;

public sealed class RunTwiceTests
{
    [Fact]
    public async Task Second_run_rewrites_no_row_and_leaves_tables_identical()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var first = await pipeline.Engine("run");
        Assert.True(first.ExitCode == 0, first.ToString());
        var tables = new[] { "{staging}.customers", "{staging}.orders", "{model}.order_facts", "{mart}.daily_revenue", "{mart}.customer_totals" };
        var before = await Task.WhenAll(tables.Select(pipeline.ContentAsync));

        var second = await pipeline.Engine("run", "--json");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("\"status\": \"success\"", second.Out);
        Assert.DoesNotMatch("\"rows\": [1-9]", second.Out);
        Assert.Equal(before, await Task.WhenAll(tables.Select(pipeline.ContentAsync)));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT sum(rows)::bigint FROM {meta}.run_steps WHERE run_id = (SELECT run_id FROM {meta}.runs ORDER BY started_at DESC LIMIT 1)"));
    }

    [Fact]
    public async Task Steps_whose_inputs_did_not_change_are_skipped_and_a_change_reruns_its_chain()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);

        var noop = await pipeline.Engine("run");
        Assert.Matches(@"success\s+staging\.orders\s+0 rows", noop.Out);           // reads the source: always checked
        Assert.Matches(@"unchanged\s+model\.order_facts\s+\(inputs unchanged", noop.Out);
        Assert.Matches(@"unchanged\s+mart\.daily_revenue", noop.Out);
        Assert.Matches(@"success\s+mart\.revenue_by_region", noop.Out);             // a script always runs

        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = 999 WHERE id = 13");
        var changed = await pipeline.Engine("run");
        Assert.Matches(@"success\s+model\.order_facts\s+1 rows", changed.Out);
        Assert.Matches(@"success\s+mart\.daily_revenue\s+1 rows", changed.Out);
        Assert.Equal(999.00m, await pipeline.ScalarAsync<decimal>("SELECT revenue FROM {mart}.daily_revenue WHERE order_date = '2025-05-02'"));

        var refreshed = await pipeline.Engine("run", "--full-refresh");
        Assert.DoesNotContain("unchanged", refreshed.Out);
    }

    [Fact]
    public async Task Upsert_applies_source_changes_and_deletes_vanished_keys()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await pipeline.ExecuteAsync("""
            UPDATE {source:shop}.orders SET total = 130.00 WHERE id = 10;
            DELETE FROM {source:shop}.orders WHERE id = 15;
            """);
        var run = await pipeline.Engine("run", "--only", "staging.orders", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"rows\": 2", run.Out); // one update, one delete; the four unchanged rows are not rewritten
        Assert.Equal(130.00m, await pipeline.ScalarAsync<decimal>("SELECT total FROM {staging}.orders WHERE order_id = 10"));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {staging}.orders WHERE order_id = 15"));
    }

    [Fact]
    public async Task Descriptions_become_comments_that_Metabase_shows()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        Assert.Equal("Revenue per day and region (in the pipeline's time zone).",
            await pipeline.ScalarAsync<string>("SELECT obj_description('{mart}.daily_revenue'::regclass, 'pg_class')"));
        Assert.Equal("Day of the order, in vars.timezone.",
            await pipeline.ScalarAsync<string>("SELECT col_description('{mart}.daily_revenue'::regclass, 1)"));
    }
}
