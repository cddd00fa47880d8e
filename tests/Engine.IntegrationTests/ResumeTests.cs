namespace Lacrei.Engine.Tests;

public sealed class ResumeTests
{
    [Fact]
    public async Task Resume_reruns_failed_and_skipped_steps_with_the_last_runs_options()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging")).ExitCode);
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("sum(f.total) AS revenue", "sum(f.total) / 0 AS revenue"));
        var failed = await pipeline.Engine("run", "--only", "model+");
        Assert.Equal(1, failed.ExitCode);

        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("sum(f.total) / 0 AS revenue", "sum(f.total) AS revenue"));
        var resumed = await pipeline.Engine("run", "--resume", "--json");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("\"selection\": \"model+; resume\"", resumed.Out);
        Assert.Contains("\"step\": \"mart.daily_revenue\"", resumed.Out);
        Assert.Contains("\"step\": \"mart.revenue_by_region\"", resumed.Out);
        Assert.DoesNotContain("\"step\": \"mart.customer_totals\"", resumed.Out);
        Assert.DoesNotContain("\"step\": \"staging.orders\"", resumed.Out);
        Assert.Equal(4L, await pipeline.ScalarAsync<long>("SELECT sum(orders)::bigint FROM {mart}.daily_revenue"));
    }

    [Fact]
    public async Task Resuming_twice_is_harmless()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);

        var again = await pipeline.Engine("run", "--resume");

        Assert.Equal(0, again.ExitCode);
        Assert.Matches(@"nothing to resume: run \S+ success", again.Out);
    }
}
