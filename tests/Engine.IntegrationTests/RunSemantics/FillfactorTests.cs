namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// A step's <c>fillfactor:</c> leaves room on each page of its table, so an incremental run's
/// update stays on its page (a HOT update: no new index entries). Seen by the row's block before
/// and after an update; a table packed full (PostgreSQL's 100, the default) moves it. A changed
/// or removed fillfactor reaches a table the engine keeps.
/// </summary>
public sealed class FillfactorTests
{
    /// <summary>The shop fixture with 3,000 more orders: staging.orders fills more than one page.</summary>
    private static async Task<IsolatedPipeline> ManyOrdersAsync(string? ordersFillfactor = null)
    {
        var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        if (ordersFillfactor is not null)
            pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace(
                "        description: Orders with their status normalised.\n",
                $"        description: Orders with their status normalised.\n        fillfactor: {ordersFillfactor}\n"));
        Assert.Equal(0, (await pipeline.Engine("migrate")).ExitCode);
        await pipeline.ExecuteAsync("""
            INSERT INTO {source:shop}.orders (id, customer_id, status, total, ordered_at)
            SELECT 1000 + n, 1 + n % 4, 'completed', n % 500, TIMESTAMPTZ '2025-06-01 10:00-03' + n * interval '1 hour'
            FROM generate_series(0, 2999) AS n
            """);
        return pipeline;
    }

    private const string Options = "SELECT coalesce(array_to_string(reloptions, ','), 'none') FROM pg_class WHERE oid = '{staging}.orders'::regclass";

    /// <summary>The block of the first page's first order, and the block that order is in after its status changed and a run.</summary>
    private static async Task<(long Before, long After)> BlockOfAnUpdatedRowAsync(IsolatedPipeline pipeline)
    {
        var run = await pipeline.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());
        var id = await pipeline.ScalarAsync<long>("SELECT order_id FROM {staging}.orders WHERE (ctid::text::point)[0] = 0 ORDER BY order_id LIMIT 1");
        var before = await pipeline.ScalarAsync<long>($"SELECT (ctid::text::point)[0]::bigint FROM {{staging}}.orders WHERE order_id = {id}");
        await pipeline.ExecuteAsync($"UPDATE {{source:shop}}.orders SET status = 'cancelled' WHERE id = {id}");
        run = await pipeline.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("cancelled", await pipeline.ScalarAsync<string>($"SELECT status FROM {{staging}}.orders WHERE order_id = {id}"));
        return (before, await pipeline.ScalarAsync<long>($"SELECT (ctid::text::point)[0]::bigint FROM {{staging}}.orders WHERE order_id = {id}"));
    }

    [Fact]
    public async Task A_table_with_room_on_its_pages_keeps_an_updated_row_on_its_page()
    {
        await using var pipeline = await ManyOrdersAsync(ordersFillfactor: "90");

        var (before, after) = await BlockOfAnUpdatedRowAsync(pipeline);

        Assert.Equal("fillfactor=90", await pipeline.ScalarAsync<string>(Options));
        Assert.Equal(0, before);
        Assert.Equal(0, after);
    }

    [Fact]
    public async Task A_table_packed_full_by_default_moves_an_updated_row_to_another_page()
    {
        await using var pipeline = await ManyOrdersAsync();

        var (before, after) = await BlockOfAnUpdatedRowAsync(pipeline);

        Assert.Equal("none", await pipeline.ScalarAsync<string>(Options));
        Assert.Equal(0, before);
        Assert.NotEqual(0, after);
    }

    [Fact]
    public async Task A_changed_or_removed_fillfactor_reaches_the_table_the_engine_keeps()
    {
        await using var pipeline = await ManyOrdersAsync();
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        const string Step = "        description: Orders with their status normalised.\n";
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace(Step, Step + "        fillfactor: 70\n"));
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET status = 'cancelled' WHERE id = 10");

        var changed = await pipeline.Engine("run");

        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Equal("fillfactor=70", await pipeline.ScalarAsync<string>(Options));

        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace(Step + "        fillfactor: 70\n", Step));
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET status = 'completed' WHERE id = 10");

        var removed = await pipeline.Engine("run");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal("fillfactor=100", await pipeline.ScalarAsync<string>(Options));
    }
}
