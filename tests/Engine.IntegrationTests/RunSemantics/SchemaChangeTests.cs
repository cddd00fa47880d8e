namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// SPEC §6: a replace table whose SELECT changed shape is rebuilt in the step's transaction; an
/// upsert follows on_schema_change; a type change that would lose data is widened or an error,
/// never applied silently. Before, a column that was 1 and became 1.7 was stored as 2.
/// </summary>
public sealed class SchemaChangeTests
{
    private static void OnSchemaChange(IsolatedPipeline pipeline, string mode) =>
        File.WriteAllText(pipeline.YamlPath, File.ReadAllText(pipeline.YamlPath).Replace(
            "        key: [customer_id]\n        delete_missing: true\n",
            $"        key: [customer_id]\n        delete_missing: true\n        on_schema_change: {mode}\n"));

    private static async Task<IsolatedPipeline> BuiltAsync()
    {
        var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        return pipeline;
    }

    private static Task<string> ColumnsAsync(IsolatedPipeline pipeline, string table) => pipeline.ScalarAsync<string>(
        $"SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute " +
        $"WHERE attrelid = '{pipeline.Sql(table)}'::regclass AND attnum > 0 AND NOT attisdropped");

    [Fact]
    public async Task A_replace_table_whose_select_changed_shape_is_rebuilt_without_full_refresh()
    {
        await using var pipeline = await BuiltAsync();
        pipeline.EditFile("model/order_facts.sql", sql => sql.Replace("    o.total,", "    o.total / 3 AS total,\n    o.total > 100 AS big,"));

        var run = await pipeline.Engine("run", "--only", "model.order_facts");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(", total numeric, big boolean,", await ColumnsAsync(pipeline, "{model}.order_facts"));
        Assert.Equal(40.00m, await pipeline.ScalarAsync<decimal>("SELECT total FROM {model}.order_facts WHERE order_id = 10"));
    }

    [Fact]
    public async Task A_rebuild_keeps_the_views_on_the_table()
    {
        await using var pipeline = await BuiltAsync();
        var view = await pipeline.ContentAsync("{mart}.revenue_by_region");
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("    count(*) AS orders,", "    count(*) AS orders,\n    max(f.total) AS biggest,"));

        var run = await pipeline.Engine("run", "--only", "mart.daily_revenue");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(", biggest numeric", await ColumnsAsync(pipeline, "{mart}.daily_revenue"));
        Assert.Equal(view, await pipeline.ContentAsync("{mart}.revenue_by_region"));
    }

    [Fact]
    public async Task An_upsert_whose_select_changed_shape_fails_by_default_naming_the_columns()
    {
        await using var pipeline = await BuiltAsync();
        var before = await pipeline.ContentAsync("{mart}.customer_totals");
        pipeline.EditFile("mart/customer_totals.sql", sql => sql.Replace("    count(*) AS orders,", "    count(*) * 1.5 AS orders,\n    1 AS extra,"));

        var run = await pipeline.Engine("run", "--only", "mart.customer_totals");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the columns of the SELECT of mart.customer_totals no longer match table", run.Error);
        Assert.Contains("not in the table: extra; type changed: orders (bigint → numeric)", run.Error);
        Assert.Contains("hint: set on_schema_change: append_new_columns or sync_all_columns on the step", run.Error);
        Assert.Equal(before, await pipeline.ContentAsync("{mart}.customer_totals"));
    }

    [Fact]
    public async Task Append_new_columns_adds_them_and_keeps_the_columns_the_select_dropped()
    {
        await using var pipeline = await BuiltAsync();
        OnSchemaChange(pipeline, "append_new_columns");
        pipeline.EditFile("mart/customer_totals.sql", sql => sql
            .Replace("    sum(f.total) FILTER (WHERE f.status = 'completed') AS revenue", "    min(f.order_date) AS first_order"));

        var run = await pipeline.Engine("run", "--only", "mart.customer_totals");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("customer_id bigint, orders bigint, completed_orders bigint, revenue numeric, first_order date",
            await ColumnsAsync(pipeline, "{mart}.customer_totals"));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.customer_totals WHERE first_order IS NULL"));
    }

    [Fact]
    public async Task Sync_all_columns_widens_a_type_instead_of_rounding_and_drops_what_the_select_dropped()
    {
        await using var pipeline = await BuiltAsync();
        OnSchemaChange(pipeline, "sync_all_columns");
        pipeline.EditFile("mart/customer_totals.sql", sql => sql
            .Replace("    count(*) AS orders,", "    count(*) + 0.7 AS orders,")
            .Replace(",\n    sum(f.total) FILTER (WHERE f.status = 'completed') AS revenue", ""));

        var run = await pipeline.Engine("run", "--only", "mart.customer_totals");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("customer_id bigint, orders numeric, completed_orders bigint", await ColumnsAsync(pipeline, "{mart}.customer_totals"));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.customer_totals WHERE orders = round(orders)"));
    }

    [Theory]
    [InlineData("    count(*) AS orders,", "    count(*)::float8 / 3 AS orders,", "orders", "bigint", "double precision")]
    [InlineData("AS revenue", "::text AS revenue", "revenue", "numeric", "text")]
    public async Task A_change_that_would_lose_data_is_an_error_naming_the_column_and_both_types(string from, string to,
        string column, string tableType, string selectType)
    {
        await using var pipeline = await BuiltAsync();
        OnSchemaChange(pipeline, "sync_all_columns");
        var before = await pipeline.ContentAsync("{mart}.customer_totals");
        pipeline.EditFile("mart/customer_totals.sql", sql => sql.Replace(from, to));

        var run = await pipeline.Engine("run", "--only", "mart.customer_totals");

        Assert.Equal(1, run.ExitCode);
        var expected = $"column {column} of {pipeline.Schema("mart").Trim('"')}.customer_totals would lose data: the table has {tableType}, " +
                       $"the SELECT of mart.customer_totals gives {selectType}";
        Assert.True(run.Error.Contains(expected, StringComparison.Ordinal), run.ToString());
        Assert.Equal(before, await pipeline.ContentAsync("{mart}.customer_totals"));
    }
}
