namespace Lacrei.Engine.Tests;

/// <summary>
/// Statistics after bulk writes (issue 21, 0015_bulk_writes.sql): the engine analyzes a table in
/// the step's transaction when it created it or wrote at least <c>analyze_after</c> of its rows,
/// so the next steps and the next incremental run are planned on real counts. The tests never
/// run ANALYZE themselves, and read only the manual-analyze counters, never autovacuum's.
/// </summary>
public sealed class AnalyzeAfterTests
{
    private const string Orders = "{staging}.orders";

    /// <summary>How many times ANALYZE (not autovacuum) ran on a table.</summary>
    private static Task<long> AnalyzeCount(IsolatedPipeline pipeline, string table) => pipeline.ScalarAsync<long>(
        $"SELECT analyze_count FROM pg_stat_user_tables WHERE relid = '{pipeline.Sql(table)}'::regclass");

    [Fact]
    public async Task A_first_build_leaves_every_table_it_created_with_statistics()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var run = await pipeline.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());

        foreach (var table in new[] { Orders, "{staging}.customers", "{model}.order_facts", "{mart}.daily_revenue" })
        {
            Assert.True(await AnalyzeCount(pipeline, table) >= 1, $"{table} was not analyzed");
            Assert.NotNull(await pipeline.ScalarAsync<DateTime?>(
                $"SELECT last_analyze FROM pg_stat_user_tables WHERE relid = '{pipeline.Sql(table)}'::regclass"));
            var (stats, known, rows) = (
                await pipeline.ScalarAsync<long>($"SELECT count(*) FROM pg_stats WHERE format('%I.%I', schemaname, tablename)::regclass = '{pipeline.Sql(table)}'::regclass"),
                await pipeline.ScalarAsync<float>($"SELECT reltuples FROM pg_class WHERE oid = '{pipeline.Sql(table)}'::regclass"),
                await pipeline.ScalarAsync<long>($"SELECT count(*) FROM {pipeline.Sql(table)}"));
            Assert.True(stats > 0, $"{table} has no column statistics");
            Assert.Equal(rows, (long)known);
        }
    }

    [Fact]
    public async Task A_write_below_the_share_leaves_statistics_to_autovacuum_and_one_above_it_analyzes()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("name: shop-example\n", "name: shop-example\nanalyze_after: 0.5\n"));
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var built = await AnalyzeCount(pipeline, Orders);

        // One order of six: a sixth is below a half.
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = total + 1 WHERE id = 10");
        var small = await pipeline.Engine("run", "--only", "staging.orders", "--json");
        Assert.True(small.ExitCode == 0, small.ToString());
        Assert.Contains("\"rows\": 1", small.Out);
        Assert.Equal(built, await AnalyzeCount(pipeline, Orders));

        // Four of six: above a half.
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = total + 1 WHERE id IN (11, 12, 13, 14)");
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging.orders")).ExitCode);
        Assert.Equal(built + 1, await AnalyzeCount(pipeline, Orders));
    }

    [Fact]
    public async Task Without_analyze_after_a_tenth_of_the_rows_is_enough()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var built = await AnalyzeCount(pipeline, Orders);

        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = total + 1 WHERE id = 10");
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging.orders")).ExitCode);
        Assert.Equal(built + 1, await AnalyzeCount(pipeline, Orders));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("often")]
    public async Task An_analyze_after_that_is_not_a_share_is_a_located_error(string value)
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("name: shop-example\n", $"name: shop-example\nanalyze_after: {value}\n"));
        var run = await pipeline.Engine("validate");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("pipeline.yaml(4,16): error:", run.Error + run.Out);   // the value, after the fixture's two comment lines and its name
        Assert.Contains("'analyze_after' must be a share of a table's rows from 0 to 1", run.Error + run.Out);
    }
}
