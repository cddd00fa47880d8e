using System.Diagnostics;
using Lacrei.Engine.Tests.Reliability;
using Xunit.Abstractions;

namespace Lacrei.Engine.Tests.Production;

/// <summary>
/// Issue 19: the engine behind a real PgBouncer in <c>pool_mode = transaction</c>, where nothing
/// session-scoped survives a transaction. The run lease, migrations, the run log and the source
/// snapshot of extraction all work through it.
/// </summary>
[Trait("Category", "Production")]
public sealed class PgBouncerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_full_run_and_a_no_op_run_work_through_pgbouncer_in_transaction_mode()
    {
        await using var bouncer = await PgBouncer.StartAsync();
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var first = await pipeline.Engine("run", "--connection", bouncer.ConnectionString());
        var second = await pipeline.Engine("run", "--connection", bouncer.ConnectionString());

        Assert.True(first.ExitCode == 0, first + bouncer.Log);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.run_steps rs JOIN {meta}.runs r USING (run_id) " +
            "WHERE r.started_at = (SELECT max(started_at) FROM {meta}.runs) AND rs.rows <> 0"));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.run_lease"));
    }

    [Fact]
    public async Task Extraction_through_pgbouncer_reads_the_source_in_one_snapshot()
    {
        await using var bouncer = await PgBouncer.StartAsync();
        await using var pipeline = new IsolatedPipeline(Repo.Path("tests", "fixtures", "extract"));
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = bouncer.ConnectionString(source.Database) };
        await source.ExecuteAsync("INSERT INTO {s}.users SELECT g, '2025-01-01', '2025-01-01 10:00', 'Recife', NULL, NULL FROM generate_series(1, 500) g");
        Assert.Equal(0, (await pipeline.Engine(env, "run", "--connection", bouncer.ConnectionString())).ExitCode);

        // Rows past the watermark: the look at the source runs on a second connection that imports
        // the first one's exported snapshot, while the rows are copied.
        await source.ExecuteAsync("""
            INSERT INTO {s}.users SELECT g, '2025-02-01', '2025-02-01 10:00', 'Natal', NULL, NULL FROM generate_series(501, 900) g;
            UPDATE {s}.users SET city = 'Olinda' WHERE id = 7;
            DELETE FROM {s}.users WHERE id = 8;
            """);
        var run = await pipeline.Engine(env, "run", "--connection", bouncer.ConnectionString());

        Assert.True(run.ExitCode == 0, run + bouncer.Log);
        Assert.Equal(await source.ContentAsync("SELECT id, city FROM {s}.users WHERE id <> 7"),
            await pipeline.ContentAsync("(SELECT id, city FROM {staging}.users WHERE id <> 7)"));
    }

    [Fact]
    public async Task Of_ten_concurrent_runs_through_pgbouncer_one_runs_and_nine_exit_3_naming_it_and_migrations_apply_once()
    {
        await using var bouncer = await PgBouncer.StartAsync();
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql + $"\nSELECT pg_sleep(2), '{pipeline.Suffix}';\n");

        // A fresh database: the run that wins also applies the migrations, under the same lease.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(_ => Task.Run(() => pipeline.Engine("run", "--connection", bouncer.ConnectionString()))));

        var all = string.Join("\n", outcomes.Select(o => o.ToString()));
        Assert.True(outcomes.Count(o => o.ExitCode == 0) == 1, all);
        Assert.Equal(9, outcomes.Count(o => o.ExitCode == 3));
        var winner = await pipeline.ScalarAsync<string>("SELECT run_id FROM {meta}.runs");
        Assert.All(outcomes.Where(o => o.ExitCode == 3), o =>
            Assert.Matches($@"another run holds the lock on meta schema ""shop_pipeline_t\w+"": run {winner} \(pid {Environment.ProcessId} on ", o.Error));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) - count(DISTINCT scriptname) FROM {meta}.schemaversions"));
    }

    [Fact]
    public async Task A_holder_killed_with_sigkill_keeps_the_lease_until_it_expires_then_the_next_run_takes_it_over()
    {
        await using var bouncer = await PgBouncer.StartAsync();
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => "run_lease: 3s\n" + yaml);
        Assert.Equal(0, (await pipeline.Engine("run", "--connection", bouncer.ConnectionString())).ExitCode);
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql + $"\nSELECT pg_sleep(2), '{pipeline.Suffix}';\n");

        string killed;
        using (var engine = EngineProcess.Start(pipeline, "run", "--connection", bouncer.ConnectionString()))
        {
            await Faults.WaitForSleepAsync(pipeline);
            killed = await pipeline.ScalarAsync<string>("SELECT holder FROM {meta}.run_lease");
            engine.Kill();
            await engine.WaitAsync(TimeSpan.FromSeconds(30));
        }
        var clock = Stopwatch.StartNew();
        var refused = await pipeline.Engine("run", "--connection", bouncer.ConnectionString());
        var next = await pipeline.Engine("run", "--connection", bouncer.ConnectionString(), "--wait");
        output.WriteLine($"lease taken over {clock.Elapsed.TotalSeconds:0.0} s after the SIGKILL (lease 3 s)");

        // The killed run still held a live lease moments after the kill (unless this machine
        // stalled for the whole lease first, when the plain run takes it over itself).
        var takenOver = $"Took over the run lease of run {killed}: it expired without being renewed";
        if (refused.ExitCode == 3) Assert.Contains($"another run holds the lock on meta schema \"shop_pipeline_t", refused.Error);
        else Assert.True(refused.ExitCode == 0 && refused.Error.Contains(takenOver), refused.ToString());
        Assert.True(next.ExitCode == 0, next.ToString());
        if (refused.ExitCode == 3) Assert.Contains(takenOver, next.Error);
        Assert.Equal("interrupted", await pipeline.ScalarAsync<string>($"SELECT status FROM {{meta}}.runs WHERE run_id = '{killed}'"));
    }
}
