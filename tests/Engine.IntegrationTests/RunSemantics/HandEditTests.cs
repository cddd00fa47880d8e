namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// SPEC §6: a step is skipped as unchanged only while its table is as the engine last left it.
/// Before, 100 rows deleted by hand from a mart stayed deleted: every later run said "unchanged".
/// </summary>
public sealed class HandEditTests
{
    [Theory]
    [InlineData("DELETE FROM {mart}.customer_totals WHERE customer_id IN (SELECT min(customer_id) FROM {mart}.customer_totals)")]
    [InlineData("UPDATE {mart}.customer_totals SET orders = orders + 100")]
    [InlineData("TRUNCATE {mart}.customer_totals")]
    [InlineData("INSERT INTO {mart}.customer_totals SELECT customer_id + 1000, orders, completed_orders, revenue FROM {mart}.customer_totals")]
    public async Task A_table_written_by_hand_is_recomputed_on_the_next_run(string edit)
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var published = await pipeline.ContentAsync("{mart}.customer_totals");
        await pipeline.ExecuteAsync(edit);

        var repair = await pipeline.Engine("run");
        var after = await pipeline.Engine("run");

        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Matches(@"success +mart\.customer_totals", repair.Out);
        Assert.Equal(published, await pipeline.ContentAsync("{mart}.customer_totals"));
        Assert.Matches(@"unchanged +mart\.customer_totals", after.Out);
    }

    [Fact]
    public async Task A_script_step_writing_another_steps_table_makes_that_step_run_again()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var published = await pipeline.ContentAsync("{model}.order_facts");
        pipeline.AddScriptStep("mart", "meddler", "DELETE FROM {{ ref \"model.order_facts\" }} WHERE order_id = 10;\n");
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "mart.meddler")).ExitCode);

        var run = await pipeline.Engine("run", "--only", "model.order_facts");

        Assert.Matches(@"success +model\.order_facts", run.Out);
        Assert.Equal(published, await pipeline.ContentAsync("{model}.order_facts"));
    }

    [Fact]
    public async Task The_engines_own_writes_are_not_foreign_and_the_writer_is_recorded_without_row_values()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = total + 1");
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.foreign_writes"));

        await pipeline.ExecuteAsync("UPDATE {mart}.customer_totals SET orders = 0 WHERE false");

        Assert.Equal("mart.customer_totals|1", await pipeline.ScalarAsync<string>("SELECT step || '|' || writes FROM {meta}.foreign_writes"));
        Assert.StartsWith("postgres (", await pipeline.ScalarAsync<string>("SELECT last_by FROM {meta}.foreign_writes"));
    }
}
