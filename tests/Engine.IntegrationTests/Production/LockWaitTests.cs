using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace Lacrei.Engine.Tests.Production;

/// <summary>
/// Issue 19, SPEC §6: publishing never makes new readers wait longer than a short bound. A BI
/// session that holds a mart (a transaction that read it, as Metabase leaves them) makes a full
/// refresh that must swap the table wait, but every other reader goes on: the engine waits at
/// most lock_timeout at a time, then lets go and tries again, and names the blocker.
/// </summary>
[Trait("Category", "Production")]
public sealed class LockWaitTests(ITestOutputHelper output)
{
    /// <summary>A new column: the full refresh builds a new table and swaps it in, which needs ACCESS EXCLUSIVE for a moment.</summary>
    private static void ChangeShape(IsolatedPipeline pipeline) =>
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("count(*) AS orders", "count(*) AS orders, max(f.total) AS largest"));

    [Fact]
    public async Task A_full_refresh_waits_for_a_reader_that_holds_the_table_while_other_readers_never_fail_and_finishes_once_it_ends()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        ChangeShape(pipeline);
        await using var holder = await HoldAsync(pipeline);
        using var stop = new CancellationTokenSource();
        var readers = ReadAllTheTimeAsync(pipeline, stop.Token);

        var run = pipeline.Engine("run", "--only", "mart.daily_revenue", "--full-refresh");
        await WaitForTheStepToWaitAsync(pipeline);
        // Several tries of lock_timeout (2 s) while the holder keeps its transaction open.
        await Task.Delay(TimeSpan.FromSeconds(5));
        await holder.ReleaseAsync();
        var outcome = await run;
        await stop.CancelAsync();
        var reads = await readers;

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Empty(reads.Errors);
        Assert.True(reads.Count > 10, $"only {reads.Count} reads");
        Assert.True(reads.Longest < TimeSpan.FromSeconds(3), $"a reader waited {reads.Longest.TotalSeconds:0.00} s");
        Assert.Matches(@"Step mart\.daily_revenue waits for an ACCESS EXCLUSIVE lock on \S+daily_revenue, held by pid " + holder.Pid +
                       @" \(application 'metabase-holder', idle in transaction for \d+s, query: SELECT count\(\*\) FROM \S+daily_revenue\)", outcome.Error);
        Assert.Matches(@"Step mart\.daily_revenue could not get a lock within 2s \(pid " + holder.Pid, outcome.Error);
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT count(largest) > 0 FROM {mart}.daily_revenue"));
        output.WriteLine($"{reads.Count} reads with a 3 s statement_timeout during the run, none failed; the longest took {reads.Longest.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task A_step_blocked_longer_than_lock_wait_limit_fails_naming_the_blocker_and_publishes_nothing()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        pipeline.EditFile("pipeline.yaml", yaml => "lock_wait_limit: 3s\n" + yaml);
        ChangeShape(pipeline);
        await using var holder = await HoldAsync(pipeline);

        var outcome = await pipeline.Engine("run", "--only", "mart.daily_revenue", "--full-refresh");

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Matches(@"error: step mart\.daily_revenue failed: gave up waiting for an ACCESS EXCLUSIVE lock on \S+daily_revenue after \d+s " +
                       @"\(2 tries of lock_timeout 2s\): it is held by pid " + holder.Pid +
                       @" \(application 'metabase-holder', idle in transaction for \d+s, query: SELECT count\(\*\) FROM \S+daily_revenue\)", outcome.Error);
        Assert.Contains($"hint: the step was rolled back and readers kept the previous rows; end that session (SELECT pg_terminate_backend({holder.Pid})) " +
                        "or raise lock_wait_limit (3s) in pipeline.yaml", outcome.Error);
        Assert.StartsWith("gave up waiting for an ACCESS EXCLUSIVE lock", await pipeline.ScalarAsync<string>(
            "SELECT error FROM {meta}.run_steps WHERE step = 'mart.daily_revenue' ORDER BY started_at DESC NULLS LAST LIMIT 1"));
        Assert.False(await pipeline.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '{mart}.daily_revenue'::regclass AND attname = 'largest')"));
    }

    [Fact]
    public async Task A_statement_longer_than_the_steps_statement_timeout_fails_the_step_saying_so()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("      - name: revenue_by_region\n", "      - name: revenue_by_region\n        statement_timeout: 1s\n"));
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql + "\nSELECT pg_sleep(3);\n");

        var outcome = await pipeline.Engine("run");

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Matches(@"revenue_by_region\.sql\(\d+,\d+\): error: step mart\.revenue_by_region failed: a statement of mart\.revenue_by_region " +
                       @"ran longer than statement_timeout \(1s\) and was cancelled", outcome.Error);
        Assert.Contains("hint: the step was rolled back; raise statement_timeout on the step in pipeline.yaml (or for every step at its top level), " +
                        "or make the SQL faster", outcome.Error);
    }

    [Fact]
    public async Task A_migration_blocked_by_a_reader_waits_lock_timeout_at_a_time_and_applies_once_the_reader_ends()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await using var holder = await HoldAsync(pipeline);
        File.WriteAllText(Path.Combine(pipeline.Dir, "migrations", "0002_note.sql"), "ALTER TABLE {{ schemas.mart }}.daily_revenue ADD COLUMN note text;\n");

        var migrate = pipeline.Engine("migrate");
        await WaitForTheStepToWaitAsync(pipeline);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await holder.ReleaseAsync();
        var outcome = await migrate;

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("Migration migrations/0002_note.sql could not get a lock within 2s; trying again in 250ms", outcome.Error);
        Assert.Contains("applied   migrations/0002_note.sql", outcome.Out);
        Assert.Equal(1L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.schemaversions WHERE scriptname = 'migrations/0002_note.sql'"));
    }

    [Fact]
    public async Task A_run_that_changes_rows_takes_no_lock_that_autovacuum_holds_for_an_index_or_comment_already_there()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => "lock_wait_limit: 3s\nanalyze_after: 0.99\n" + yaml.Replace(
            "        description: Orders with their status normalised.\n",
            "        description: Orders with their status normalised.\n        indexes: [[customer_id]]\n        columns:\n          status: Normalised.\n"));
        var first = await pipeline.Engine("run");
        Assert.True(first.ExitCode == 0, first.ToString());
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET status = 'cancelled' WHERE id = 10");
        // What autovacuum's VACUUM or ANALYZE of the table holds: SHARE UPDATE EXCLUSIVE. CREATE INDEX
        // IF NOT EXISTS (SHARE) and COMMENT ON (SHARE UPDATE EXCLUSIVE) lock the table before they look.
        await using var vacuum = new NpgsqlConnection(IsolatedPipeline.ConnectionString + ";Application Name=vacuum-like;Pooling=false");
        await vacuum.OpenAsync();
        await using var holding = await vacuum.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand(pipeline.Sql("LOCK TABLE {staging}.orders IN SHARE UPDATE EXCLUSIVE MODE"), vacuum, holding))
            await lockTable.ExecuteNonQueryAsync();

        var outcome = await pipeline.Engine("run", "--only", "staging.orders");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal("cancelled", await pipeline.ScalarAsync<string>("SELECT status FROM {staging}.orders WHERE order_id = 10"));
        Assert.Equal("Normalised.", await pipeline.ScalarAsync<string>("SELECT col_description(attrelid, attnum) FROM pg_attribute WHERE attrelid = '{staging}.orders'::regclass AND attname = 'status'"));
    }

    /// <summary>A session named like a BI tool's that read the mart in a transaction it keeps open.</summary>
    private static async Task<Holder> HoldAsync(IsolatedPipeline pipeline)
    {
        var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString + ";Application Name=metabase-holder;Pooling=false");
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var read = new NpgsqlCommand(pipeline.Sql("SELECT count(*) FROM {mart}.daily_revenue"), connection, transaction);
        await read.ExecuteScalarAsync();
        return new Holder(connection, transaction);
    }

    private sealed class Holder(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public int Pid => connection.ProcessID;

        public Task ReleaseAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private sealed record Reads(int Count, TimeSpan Longest, IReadOnlyList<string> Errors);

    /// <summary>A dashboard: a new query on the mart, again and again, each with a 3 s statement_timeout.</summary>
    private static async Task<Reads> ReadAllTheTimeAsync(IsolatedPipeline pipeline, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString + ";Application Name=dashboard;Pooling=false");
        await connection.OpenAsync(CancellationToken.None);
        await using (var timeout = new NpgsqlCommand("SET statement_timeout = '3s'", connection)) await timeout.ExecuteNonQueryAsync(CancellationToken.None);
        await using var read = new NpgsqlCommand(pipeline.Sql("SELECT count(*) FROM {mart}.daily_revenue"), connection);
        var (count, longest, errors) = (0, TimeSpan.Zero, new List<string>());
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try { await read.ExecuteScalarAsync(CancellationToken.None); }
            catch (PostgresException e) { errors.Add($"{e.SqlState}: {e.MessageText}"); }
            if (clock.Elapsed > longest) longest = clock.Elapsed;
            count++;
            await Task.Delay(50, CancellationToken.None);
        }
        return new Reads(count, longest, errors);
    }

    /// <summary>Until a lock on the mart is requested and not granted: the engine asked for it.</summary>
    private static async Task WaitForTheStepToWaitAsync(IsolatedPipeline pipeline)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (await pipeline.ScalarAsync<bool>(
                    "SELECT EXISTS (SELECT FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock' AND relation = '{mart}.daily_revenue'::regclass)"))
                return;
            await Task.Delay(25);
        }
        throw new TimeoutException("the run never asked for the lock");
    }
}
