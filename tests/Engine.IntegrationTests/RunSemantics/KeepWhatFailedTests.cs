namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// docs/authoring.md "Keep what failed": <c>store_failures</c> / <c>--store-failures</c> keep a test's
/// offending rows in the failures schema, sensitive columns masked, replaced on every run;
/// <c>--keep-failed</c> keeps the rows of a step that failed its tests instead of nothing.
/// </summary>
public sealed class KeepWhatFailedTests
{
    private const string NewStep = """

              - name: big_spenders
                sql: mart/big_spenders.sql
                materialize: replace
                key: [customer_id]
                sensitive: [customer_id]
                tests:
                  - expression: { expression: "revenue < 100", name: modest_revenue }
        """;

    private static string Failures(IsolatedPipeline pipeline) => $"\"shop_pipeline{pipeline.Suffix}_failures\"";

    [Fact]
    public async Task Store_failures_keeps_the_offending_rows_of_a_warning_test_replaced_each_run()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var run = await pipeline.Engine("run", "--only", "staging.customers", "--store-failures");

        Assert.True(run.ExitCode == 0, run.ToString());
        var table = $"{Failures(pipeline)}.staging__customers__accepted_values_region";
        Assert.Equal(0L, await pipeline.ScalarAsync<long>($"SELECT count(*) FROM {table}"));

        await pipeline.ExecuteAsync("UPDATE {source:shop}.customers SET region = 'BA' WHERE id = 3");
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging.customers", "--store-failures")).ExitCode);
        Assert.Equal("BA:1", await pipeline.ScalarAsync<string>($"SELECT string_agg(region || ':' || rows, ',') FROM {table}"));

        await pipeline.ExecuteAsync("UPDATE {source:shop}.customers SET region = 'SP' WHERE id = 3");
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging.customers", "--store-failures")).ExitCode);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task A_test_with_store_failures_masks_the_sensitive_columns()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace(
            "          - min_cell_size: { column: orders, threshold: 1 }\n",
            "          - min_cell_size: { column: orders, threshold: 1 }\n          - expression: { expression: \"orders > 5\", name: busy, severity: warn, store_failures: true }\n"));

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 0, run.ToString());
        var table = $"{Failures(pipeline)}.mart__customer_totals__busy";
        Assert.Equal("•••", await pipeline.ScalarAsync<string>($"SELECT string_agg(DISTINCT customer_id, ',') FROM {table}"));
        Assert.Equal(4L, await pipeline.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
        Assert.Equal(6L, await pipeline.ScalarAsync<long>($"SELECT sum(orders)::bigint FROM {table}"));
    }

    [Fact]
    public async Task Keep_failed_leaves_a_new_step_that_failed_its_tests_in_the_failures_schema()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "big_spenders.sql"),
            "SELECT f.customer_id, sum(f.total) AS revenue FROM {{ ref \"model.order_facts\" }} AS f GROUP BY f.customer_id");
        File.AppendAllText(pipeline.YamlPath, NewStep);

        var run = await pipeline.Engine("run", "--keep-failed");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"what failed is kept in schema shop_pipeline{pipeline.Suffix}_failures", run.Error);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE oid = to_regclass('{mart}.big_spenders')"));
        var kept = $"{Failures(pipeline)}.mart__big_spenders";
        Assert.Equal(4L, await pipeline.ScalarAsync<long>($"SELECT count(*) FROM {kept}"));
        Assert.Equal("•••", await pipeline.ScalarAsync<string>($"SELECT string_agg(DISTINCT customer_id, ',') FROM {kept}"));
        Assert.Equal(200.50m, await pipeline.ScalarAsync<decimal>($"SELECT max(revenue) FROM {kept}"));

        var test = await pipeline.Engine("test", "--only", "mart.big_spenders");
        Assert.Equal(1, test.ExitCode);
        Assert.Contains("engine run --keep-failed", test.Out + test.Error);
    }
}
