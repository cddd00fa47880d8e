namespace Lacrei.Engine.Tests;

public sealed class RetryTests
{
    [Fact]
    public async Task A_step_whose_connection_is_killed_is_retried_and_the_run_succeeds()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql + $"\nSELECT pg_sleep(1), '{pipeline.Suffix}';\n");
        var run = pipeline.Engine("run", "--only", "mart.revenue_by_region");

        var killed = 0;
        for (var i = 0; i < 200 && killed == 0; i++)
        {
            killed = (int)await pipeline.ScalarAsync<long>(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep%{pipeline.Suffix}%' AND pid <> pg_backend_pid()");
            await Task.Delay(25);
        }
        var outcome = await run;

        Assert.Equal(1, killed);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("Connection problem", outcome.Error);
        Assert.Contains("retrying in", outcome.Error);
    }
}
