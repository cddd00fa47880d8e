using Npgsql;

namespace Lacrei.Engine.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Two_concurrent_runs_one_exits_3_naming_the_holder()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql + $"\nSELECT pg_sleep(1.5), '{pipeline.Suffix}';\n");
        var first = pipeline.Engine("run");
        await WaitForRunningAsync(pipeline);

        var second = await pipeline.Engine("run");

        Assert.Equal(3, second.ExitCode);
        Assert.Matches(@"another run holds the lock on meta schema ""shop_pipeline_t\w+"": run \d{8}T\d{6}Z-\w+ \(pid \d+", second.Error);
        Assert.Contains("hint: wait for it to finish, or pass --wait to queue behind it", second.Error);
        Assert.Equal(0, (await first).ExitCode);
    }

    /// <summary>
    /// Pipelines of one database migrating at the same moment (several targets of one warehouse,
    /// tests in parallel) write the same catalog rows: the BI role, the database's privileges.
    /// PostgreSQL then fails one with "tuple concurrently updated" unless the scripts take turns.
    /// </summary>
    [Fact]
    public async Task Schema_sets_of_one_database_migrated_at_the_same_moment_all_succeed()
    {
        var pipelines = Enumerable.Range(0, 6).Select(_ => IsolatedPipeline.Lacrei()).ToList();
        try
        {
            var migrations = await Task.WhenAll(pipelines.Select(p => p.Engine("migrate")));

            Assert.All(migrations, m => Assert.True(m.ExitCode == 0, m.ToString()));
        }
        finally
        {
            foreach (var pipeline in pipelines) await pipeline.DisposeAsync();
        }
    }

    [Fact]
    public async Task Wait_queues_behind_the_running_run()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql + $"\nSELECT pg_sleep(1), '{pipeline.Suffix}';\n");
        var first = pipeline.Engine("run");
        await WaitForRunningAsync(pipeline);

        var second = await pipeline.Engine("run", "--wait");

        Assert.Equal(0, (await first).ExitCode);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(2L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.runs WHERE status = 'success'"));
    }

    [Fact]
    public async Task Replace_readers_never_see_an_empty_or_half_filled_table()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        // Every row changes, and the step's SELECT is slow, so the swap spans many reads.
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = total * 2");
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging")).ExitCode);
        pipeline.EditFile("model/order_facts.sql", sql => sql + "\nCROSS JOIN LATERAL (SELECT pg_sleep(0.05)) AS slow_down\n");
        var before = await pipeline.ScalarAsync<long>("SELECT count(*) FROM {model}.order_facts");

        using var stop = new CancellationTokenSource();
        var counts = new List<long>();
        var reader = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(pipeline.Sql("SELECT count(*) FROM {model}.order_facts"), connection);
            while (!stop.IsCancellationRequested) counts.Add((long)(await command.ExecuteScalarAsync())!);
        });
        var run = await pipeline.Engine("run", "--only", "model.order_facts");
        await stop.CancelAsync();
        await reader;

        Assert.Equal(0, run.ExitCode);
        Assert.True(counts.Count > 10, $"only {counts.Count} reads happened during the run");
        Assert.All(counts, count => Assert.Equal(before, count));
        Assert.Equal(2 * 120.00m, await pipeline.ScalarAsync<decimal>("SELECT total FROM {model}.order_facts WHERE order_id = 10"));
    }

    private static async Task WaitForRunningAsync(IsolatedPipeline pipeline)
    {
        for (var i = 0; i < 200; i++)
        {
            var running = await pipeline.ScalarAsync<bool>(
                $"SELECT EXISTS (SELECT FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep%{pipeline.Suffix}%' AND pid <> pg_backend_pid())");
            if (running) return;
            await Task.Delay(25);
        }
        throw new TimeoutException("the first run never started its slow step");
    }
}
