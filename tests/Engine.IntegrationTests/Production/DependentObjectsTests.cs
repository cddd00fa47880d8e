namespace Lacrei.Engine.Tests.Production;

/// <summary>
/// Issue 19, SPEC §6: dependent views, grants and comments survive a rebuild, or the step fails
/// naming them; never a silent DROP … CASCADE. People build views on marts (here a view on the
/// pipeline's own view on mart.daily_revenue, two levels deep) and grant them to BI roles.
/// </summary>
[Trait("Category", "Production")]
public sealed class DependentObjectsTests
{
    private const string Views = "'{mart}.revenue_by_region'::regclass, '{mart}.region_report'::regclass";

    /// <summary>What a user added around the mart: a view on its view, grants to a BI role, comments of their own.</summary>
    private static async Task<string> DecorateAsync(IsolatedPipeline pipeline)
    {
        var role = "lp_bi" + pipeline.Suffix;
        await pipeline.ExecuteAsync($$"""
            CREATE ROLE "{{role}}";
            CREATE VIEW {mart}.region_report WITH (security_barrier) AS
                SELECT region, revenue FROM {mart}.revenue_by_region WHERE revenue > 0;
            GRANT USAGE ON SCHEMA {mart} TO "{{role}}";
            GRANT SELECT ON {mart}.daily_revenue, {mart}.revenue_by_region TO "{{role}}";
            GRANT SELECT (region) ON {mart}.region_report TO "{{role}}" WITH GRANT OPTION;
            COMMENT ON VIEW {mart}.region_report IS 'Regions with revenue, for the sales dashboard.';
            COMMENT ON COLUMN {mart}.region_report.region IS 'Two-letter state.';
            COMMENT ON COLUMN {mart}.daily_revenue.orders IS 'Completed orders (a comment not in pipeline.yaml).';
            """);
        return role;
    }

    /// <summary>Everything that must survive, as text: view definitions and options, grants (table, views, columns), comments.</summary>
    private static Task<string> AroundAsync(IsolatedPipeline pipeline) => pipeline.ScalarAsync<string>($$"""
        SELECT string_agg(line, E'\n' ORDER BY line) FROM (
            SELECT c.relname || ' view: ' || pg_get_viewdef(c.oid) || ' ' || coalesce(c.reloptions::text, '') AS line
              FROM pg_class c WHERE c.oid IN ({{Views}})
            UNION ALL
            SELECT c.relname || ' acl: ' || coalesce(c.relacl::text, '') FROM pg_class c WHERE c.oid IN ({{Views}}, '{mart}.daily_revenue'::regclass)
            UNION ALL
            SELECT c.relname || '.' || a.attname || ' acl: ' || a.attacl::text
              FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.oid IN ({{Views}}) AND a.attacl IS NOT NULL
            UNION ALL
            SELECT c.relname || ' comment ' || coalesce(a.attname, '') || ': ' || d.description
              FROM pg_class c JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass
              LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
             WHERE c.oid IN ({{Views}}, '{mart}.daily_revenue'::regclass)
        ) AS around
        """);

    [Fact]
    public async Task Views_on_a_mart_survive_a_full_refresh_that_rebuilds_it_with_the_same_definitions_grants_and_comments()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var role = await DecorateAsync(pipeline);
        try
        {
            var before = await AroundAsync(pipeline);
            var table = await pipeline.ScalarAsync<long>("SELECT '{mart}.daily_revenue'::regclass::oid::bigint");
            pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("count(*) AS orders", "count(*) AS orders, max(f.total) AS largest"));

            var run = await pipeline.Engine("run", "--only", "mart.daily_revenue", "--full-refresh");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.NotEqual(table, await pipeline.ScalarAsync<long>("SELECT '{mart}.daily_revenue'::regclass::oid::bigint"));
            Assert.Equal(before, await AroundAsync(pipeline));
            Assert.Contains("region_report acl: ", before);
            Assert.Equal(4L, await pipeline.ScalarAsync<long>("SELECT sum(orders)::bigint FROM {mart}.revenue_by_region"));
            Assert.Equal("daily_revenue_pkey", await pipeline.ScalarAsync<string>(
                "SELECT conname::text FROM pg_constraint WHERE conrelid = '{mart}.daily_revenue'::regclass AND contype = 'p'"));
        }
        finally
        {
            await pipeline.ExecuteAsync($"DROP OWNED BY \"{role}\"; DROP ROLE \"{role}\"");
        }
    }

    [Fact]
    public async Task A_full_refresh_of_an_unchanged_shape_rewrites_the_table_in_place_and_leaves_its_views_alone()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        const string oids = "SELECT array_agg(oid::bigint ORDER BY oid) FROM pg_class WHERE oid IN ('{mart}.daily_revenue'::regclass, '{mart}.revenue_by_region'::regclass)";
        var before = await pipeline.ScalarAsync<long[]>(oids);
        await pipeline.ExecuteAsync("UPDATE {mart}.daily_revenue SET revenue = 0; INSERT INTO {mart}.daily_revenue VALUES ('2020-01-01', 'XX', 1, 1)");
        var expected = await pipeline.ContentAsync("{mart}.daily_revenue");

        var run = await pipeline.Engine("run", "--only", "mart.daily_revenue", "--full-refresh");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(before, await pipeline.ScalarAsync<long[]>(oids));
        Assert.NotEqual(expected, await pipeline.ContentAsync("{mart}.daily_revenue"));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.daily_revenue WHERE region = 'XX' OR revenue = 0"));
    }

    [Fact]
    public async Task A_view_that_no_longer_works_on_the_new_columns_fails_the_step_naming_it_and_nothing_changes()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("count(*) AS orders", "count(*) AS order_count"));

        var run = await pipeline.Engine("run", "--only", "mart.daily_revenue", "--full-refresh");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"error: step mart.daily_revenue failed: cannot rebuild mart.daily_revenue for --full-refresh: view shop_mart{pipeline.Suffix}.revenue_by_region " +
                        "depends on it and cannot be recreated on the new columns: column d.orders does not exist", run.Error);
        Assert.Contains("hint: change or drop the view first; a rebuild keeps dependent views (with their grants and comments) whose SQL works on the new table", run.Error);
        Assert.Equal(4L, await pipeline.ScalarAsync<long>("SELECT sum(orders)::bigint FROM {mart}.revenue_by_region"));
    }

    [Fact]
    public async Task A_materialized_view_on_the_table_is_named_and_the_rebuild_refused()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await pipeline.ExecuteAsync("CREATE MATERIALIZED VIEW {mart}.revenue_snapshot AS SELECT sum(revenue) AS revenue FROM {mart}.daily_revenue");
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("count(*) AS orders", "count(*) AS orders, max(f.total) AS largest"));

        var run = await pipeline.Engine("run", "--only", "mart.daily_revenue", "--full-refresh");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(run.Error.Contains($"cannot rebuild mart.daily_revenue for --full-refresh: the engine cannot recreate what depends on " +
                        $"shop_mart{pipeline.Suffix}.daily_revenue: shop_mart{pipeline.Suffix}.revenue_snapshot (a materialized view)"), run.ToString());
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT to_regclass('{mart}.revenue_snapshot') IS NOT NULL"));
    }
}
