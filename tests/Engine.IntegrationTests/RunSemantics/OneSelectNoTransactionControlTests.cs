namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// SPEC §6: an upsert/replace step runs exactly its one SELECT, and no step can end, nest or
/// escape its transaction. Before this rule, <c>SELECT …; DELETE FROM {{ ref }}</c> ran both and
/// emptied the upstream table for good, and a COMMIT inside a script kept half a step.
/// </summary>
public sealed class OneSelectNoTransactionControlTests
{
    [Fact]
    public async Task A_second_statement_in_an_upsert_is_refused_before_anything_runs()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var orders = await pipeline.ContentAsync("{staging}.orders");
        pipeline.EditFile("model/order_facts.sql", sql => sql.TrimEnd().TrimEnd(';') + ";\nDELETE FROM {{ ref \"staging.orders\" }}\n");

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("model/order_facts.sql(", run.Error);
        Assert.Contains("error: step 'model.order_facts' (replace) must be exactly one SELECT, found a second statement: DELETE FROM", run.Error);
        Assert.Equal(orders, await pipeline.ContentAsync("{staging}.orders"));
        Assert.Equal(2, (await pipeline.Engine("validate")).ExitCode);
    }

    [Fact]
    public async Task A_commit_in_a_script_step_is_refused_before_anything_runs()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var runs = await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.runs");
        pipeline.AddScriptStep("mart", "touch", "INSERT INTO {{ ref \"staging.orders\" }} SELECT * FROM {{ ref \"staging.orders\" }} WHERE false;\nCOMMIT;\nSELECT 1;\n");

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("mart/touch.sql(2,1): error: step 'mart.touch': COMMIT is transaction control, which a step may not contain", run.Error);
        Assert.Equal(runs, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.runs"));
    }

    [Fact]
    public async Task A_commit_that_still_reaches_the_server_fails_the_step_cleanly_and_the_run_ends_failed()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var before = await pipeline.ContentAsync("{mart}.customer_totals");
        // A DO block hides the COMMIT from the engine's check; the server refuses it inside the step's transaction.
        pipeline.AddScriptStep("mart", "sneaky",
            "DELETE FROM {{ ref \"mart.customer_totals\" }};\nDO $$ BEGIN COMMIT; END $$;\n");

        var run = await pipeline.Engine("run", "--only", "mart.sneaky");
        var again = await pipeline.Engine("run", "--only", "mart.sneaky");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("invalid transaction termination", run.Error);
        Assert.DoesNotContain("internal error", run.Error);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal(before, await pipeline.ContentAsync("{mart}.customer_totals"));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.runs WHERE status = 'running'"));
        Assert.Equal("failed", await pipeline.ScalarAsync<string>("SELECT status FROM {meta}.runs ORDER BY started_at DESC LIMIT 1"));
    }
}
