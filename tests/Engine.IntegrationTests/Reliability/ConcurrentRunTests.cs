namespace Lacrei.Engine.Tests.Reliability;

/// <summary>Issue 8: ten concurrent <c>engine run</c> on one target: exactly one runs, nine exit 3 (SPEC §6).</summary>
[Trait("Category", "Reliability")]
public sealed class ConcurrentRunTests
{
    [Fact]
    public async Task Of_ten_concurrent_runs_exactly_one_runs_and_nine_exit_3()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql + $"\nSELECT pg_sleep(2), '{pipeline.Suffix}';\n");
        var runsBefore = await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.runs");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => pipeline.Engine("run"))));

        Assert.True(outcomes.Count(o => o.ExitCode == 0) == 1, string.Join("\n", outcomes.Select(o => o.ToString())));
        Assert.Equal(9, outcomes.Count(o => o.ExitCode == 3));
        Assert.All(outcomes.Where(o => o.ExitCode == 3), o => Assert.Contains("another run holds the lock", o.Error));
        Assert.Equal(runsBefore + 1, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.runs"));
    }
}
