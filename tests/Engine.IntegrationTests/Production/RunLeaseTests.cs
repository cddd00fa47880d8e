using Lacrei.Engine.Tests.Reliability;

namespace Lacrei.Engine.Tests.Production;

/// <summary>
/// Issue 19, SPEC §6: the run lease (a row in the meta schema with an expiry and a heartbeat)
/// instead of a session advisory lock. PgBouncerTests show it through a pooler; here, what
/// happens to a stale lease and to a run whose lease was taken over.
/// </summary>
[Trait("Category", "Production")]
public sealed class RunLeaseTests
{
    [Fact]
    public async Task An_expired_lease_of_a_run_that_died_is_taken_over_at_once_and_the_log_says_whose()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await pipeline.ExecuteAsync("""
            INSERT INTO {meta}.run_lease (lease, token, holder, application, host, pid, acquired_at, renewed_at, expires_at)
            VALUES ('run', gen_random_uuid(), '20251201T000000Z-dead00', 'lacrei-pipeline run 20251201T000000Z-dead00', 'elsewhere', 4242,
                    now() - interval '10 minutes', now() - interval '2 minutes', now() - interval '1 minute')
            """);

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Took over the run lease of run 20251201T000000Z-dead00: it expired without being renewed", run.Error);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.run_lease"));
    }

    [Fact]
    public async Task A_live_lease_refuses_a_run_naming_its_holder_with_host_pid_and_since_when()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("migrate")).ExitCode);
        await pipeline.ExecuteAsync("""
            INSERT INTO {meta}.run_lease (lease, token, holder, application, host, pid, acquired_at, renewed_at, expires_at)
            VALUES ('run', gen_random_uuid(), '20251201T000000Z-live00', 'lacrei-pipeline run 20251201T000000Z-live00', 'etl-host', 4242,
                    '2025-12-01 10:00:00+00', now(), now() + interval '1 minute')
            """);

        var run = await pipeline.Engine("run");

        Assert.Equal(3, run.ExitCode);
        Assert.Matches(@"error: another run holds the lock on meta schema ""shop_pipeline_t\w+"": run 20251201T000000Z-live00 \(pid 4242 on etl-host, " +
                       @"since 2025-12-01 10:00:00Z; its lease runs until \d\d:\d\d:\d\dZ unless renewed\)", run.Error);
    }

    [Fact]
    public async Task A_run_whose_lease_was_taken_over_stops_rolls_back_its_step_and_exits_3_saying_so()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => "run_lease: 1s\n" + yaml);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql.Replace("Revenue per region over all days.", "second version") +
                                                                $"\nSELECT pg_sleep(30), '{pipeline.Suffix}';\n");

        var run = pipeline.Engine("run");
        await Faults.WaitForSleepAsync(pipeline);
        // As if this run had stalled past its lease and another had taken it over.
        await pipeline.ExecuteAsync("UPDATE {meta}.run_lease SET token = gen_random_uuid(), holder = '20251201T000000Z-other0', host = 'other-host'");
        var outcome = await run;

        Assert.True(outcome.ExitCode == 3, outcome.ToString());
        Assert.Matches(@"error: run \d{8}T\d{6}Z-\w+ stopped: the run lease was lost \(run 20251201T000000Z-other0 \(pid \d+ on other-host, since .*\) took it over after it expired\)",
            outcome.Error);
        Assert.Equal("Revenue per region over all days.", await pipeline.ScalarAsync<string>("SELECT obj_description('{mart}.revenue_by_region'::regclass)"));
    }

    [Fact]
    public async Task An_atomic_run_tries_a_step_blocked_by_a_reader_again_from_a_savepoint_and_commits_once_the_reader_ends()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("count(*) AS orders", "count(*) AS orders, max(f.total) AS largest"));
        await using var connection = new Npgsql.NpgsqlConnection(IsolatedPipeline.ConnectionString + ";Pooling=false;Application Name=holder");
        await connection.OpenAsync();
        var holding = await connection.BeginTransactionAsync();
        await using (var read = new Npgsql.NpgsqlCommand(pipeline.Sql("SELECT count(*) FROM {mart}.daily_revenue"), connection, holding))
            await read.ExecuteScalarAsync();

        var run = pipeline.Engine("run", "--atomic", "--full-refresh", "--only", "mart");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await holding.CommitAsync();
        var outcome = await run;

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("Step mart.daily_revenue could not get a lock within 2s", outcome.Error);
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT count(largest) > 0 FROM {mart}.daily_revenue"));
    }
}
