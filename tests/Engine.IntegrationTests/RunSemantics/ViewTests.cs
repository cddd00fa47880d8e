namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// docs/authoring.md "Views": <c>materialize: view</c> publishes the SELECT as a view in the step's
/// transaction; a changed column list recreates the view and the views on it (never a silent
/// DROP … CASCADE) or fails naming the dependent view; data tests read the view.
/// </summary>
public sealed class ViewTests
{
    private const string ViewStep = """
              - name: big_orders
                sql: mart/big_orders.sql
                materialize: view
                description: Orders over 100.
                tests:
                  - not_null: [order_id]
        """;

    private const string BigOrders = """
        SELECT f.order_id, f.region, f.total
        FROM {{ ref "model.order_facts" }} AS f
        WHERE f.total > 100
        """;

    private static async Task<IsolatedPipeline> WithViewAsync(string sql = BigOrders)
    {
        var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "big_orders.sql"), sql);
        File.AppendAllText(pipeline.YamlPath, "\n" + ViewStep.Replace("\n", "\n") + "\n");
        var run = await pipeline.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());
        return pipeline;
    }

    private static Task<string> ColumnsAsync(IsolatedPipeline pipeline, string relation) => pipeline.ScalarAsync<string>(
        $"SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute " +
        $"WHERE attrelid = '{pipeline.Sql(relation)}'::regclass AND attnum > 0 AND NOT attisdropped");

    [Fact]
    public async Task A_view_step_publishes_a_view_with_its_comments_that_reads_the_current_rows()
    {
        await using var pipeline = await WithViewAsync();

        Assert.Equal("v", await pipeline.ScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE oid = '{mart}.big_orders'::regclass"));
        Assert.Equal("Orders over 100.", await pipeline.ScalarAsync<string>("SELECT obj_description('{mart}.big_orders'::regclass, 'pg_class')"));
        Assert.Equal(await pipeline.ScalarAsync<long>("SELECT count(*) FROM {model}.order_facts WHERE total > 100"),
            await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.big_orders"));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'lp_step_view'"));
    }

    [Fact]
    public async Task A_view_whose_sql_and_inputs_did_not_change_is_skipped_and_one_whose_sql_changed_is_replaced()
    {
        await using var pipeline = await WithViewAsync();

        var again = await pipeline.Engine("run", "--only", "mart.big_orders");
        Assert.Matches(@"unchanged\s+mart\.big_orders", again.Out);

        pipeline.EditFile("mart/big_orders.sql", sql => sql.Replace("> 100", "> 1000"));
        var changed = await pipeline.Engine("run", "--only", "mart.big_orders");
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Equal(await pipeline.ScalarAsync<long>("SELECT count(*) FROM {model}.order_facts WHERE total > 1000"),
            await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.big_orders"));
    }

    [Fact]
    public async Task A_removed_column_recreates_the_view_and_keeps_the_views_on_it_with_their_grants()
    {
        await using var pipeline = await WithViewAsync();
        await pipeline.ExecuteAsync("CREATE VIEW {mart}.big_orders_by_region AS SELECT region, count(*) AS n FROM {mart}.big_orders GROUP BY region;" +
                                    "GRANT SELECT ON {mart}.big_orders_by_region TO PUBLIC; COMMENT ON VIEW {mart}.big_orders_by_region IS 'hand made'");
        var before = await pipeline.ContentAsync("{mart}.big_orders_by_region");
        pipeline.EditFile("mart/big_orders.sql", sql => sql.Replace("f.region, f.total", "f.region, f.total::integer AS total_int"));

        var run = await pipeline.Engine("run", "--only", "mart.big_orders");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("order_id bigint, region text, total_int integer", await ColumnsAsync(pipeline, "{mart}.big_orders"));
        Assert.Equal(before, await pipeline.ContentAsync("{mart}.big_orders_by_region"));
        Assert.Equal("hand made", await pipeline.ScalarAsync<string>("SELECT obj_description('{mart}.big_orders_by_region'::regclass, 'pg_class')"));
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT has_table_privilege('public', '{mart}.big_orders_by_region', 'SELECT')"));
    }

    [Fact]
    public async Task A_dependent_view_that_needs_a_removed_column_fails_the_step_naming_it_and_nothing_changes()
    {
        await using var pipeline = await WithViewAsync();
        await pipeline.ExecuteAsync("CREATE VIEW {mart}.big_totals AS SELECT sum(total) AS total FROM {mart}.big_orders");
        pipeline.EditFile("mart/big_orders.sql", sql => sql.Replace("f.region, f.total", "f.region"));

        var run = await pipeline.Engine("run", "--only", "mart.big_orders");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"view {pipeline.Sql("{mart}").Trim('"')}.big_totals depends on it and cannot be recreated on the new columns", run.Error);
        Assert.Contains("the engine never drops a dependent view", run.Error);
        Assert.Equal("order_id bigint, region text, total numeric(12,2)", await ColumnsAsync(pipeline, "{mart}.big_orders"));
        Assert.Equal(1L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE oid = to_regclass('{mart}.big_totals')"));
    }

    [Fact]
    public async Task A_failing_data_test_on_a_view_rolls_the_view_back()
    {
        await using var pipeline = await WithViewAsync();
        pipeline.EditFile("mart/big_orders.sql", sql => sql.Replace("SELECT f.order_id,", "SELECT NULL::bigint AS order_id,"));

        var run = await pipeline.Engine("run", "--only", "mart.big_orders");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.big_orders WHERE order_id IS NULL"));
    }

    [Fact]
    public async Task A_table_that_reads_a_view_is_recomputed_when_the_table_under_the_view_changes()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "big_orders.sql"), BigOrders);
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "big_order_count.sql"), "SELECT 1 AS id, count(*) AS n FROM {{ ref \"mart.big_orders\" }}");
        File.AppendAllText(pipeline.YamlPath, "\n" + ViewStep + "\n      - name: big_order_count\n        sql: mart/big_order_count.sql\n        materialize: replace\n        key: [id]\n");
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var before = await pipeline.ScalarAsync<long>("SELECT n FROM {mart}.big_order_count");

        // A new big order upstream; the view is not selected, so it keeps its version: its reader must still see the change.
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = 5000 WHERE id = (SELECT min(id) FROM {source:shop}.orders WHERE total <= 100)");
        Assert.Equal(0, (await pipeline.Engine("run", "--exclude", "mart.big_orders,mart.big_order_count")).ExitCode);
        var reader = await pipeline.Engine("run", "--only", "mart.big_order_count");
        Assert.True(reader.ExitCode == 0 && reader.Out.Contains("success  mart.big_order_count"), reader.ToString());

        Assert.Equal(before + 1, await pipeline.ScalarAsync<long>("SELECT n FROM {mart}.big_order_count"));
    }
}
