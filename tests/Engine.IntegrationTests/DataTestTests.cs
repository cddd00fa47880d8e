using Npgsql;

namespace Lacrei.Engine.Tests;

/// <summary>SPEC §11: declared data tests run inside the step's transaction and gate publishing.</summary>
public sealed class DataTestTests
{
    [Fact]
    public async Task Every_declared_kind_passes_on_good_data()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var run = await pipeline.Engine("run", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"passed\": 10,", run.Out);
        Assert.Contains("\"failed\": 0,", run.Out);
        Assert.Equal(10L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.test_results WHERE status = 'passed'"));
    }

    [Theory]
    [InlineData("staging.customers", "UPDATE {source:shop}.customers SET created_at = created_at", "unique: [region]", "unique(region)", 1)]
    [InlineData("staging.customers", "UPDATE {source:shop}.customers SET created_at = created_at", "not_null: [region]", "not_null(region)", 1)]
    [InlineData("staging.orders", "UPDATE {source:shop}.orders SET status = 'shipped' WHERE id = 10", "accepted_values: { column: status, values: [completed, cancelled, pending], name: status_values }", "status_values", 1)]
    [InlineData("staging.orders", "DELETE FROM {source:shop}.orders WHERE customer_id = 4", "row_count: { min: 6 }", "row_count(6..)", 1)]
    [InlineData("staging.orders", "UPDATE {source:shop}.orders SET total = -1 WHERE id IN (10, 11)", "expression: { expression: \"total >= 0\", name: positive }", "positive", 2)]
    [InlineData("staging.orders", "UPDATE {source:shop}.orders SET total = total", "sql: { name: big_orders, query: \"SELECT * FROM {{ this }} WHERE total > 100\" }", "big_orders", 2)]
    [InlineData("staging.orders", "UPDATE {source:shop}.orders SET total = total", "min_cell_size: { column: order_id, threshold: 12 }", "min_cell_size(order_id)", 2)]
    public async Task Each_kind_fails_on_offending_rows_and_blocks_the_step(string step, string change, string test, string name, long failures)
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await pipeline.ExecuteAsync(change);
        AddTest(pipeline, step, test);

        var run = await pipeline.Engine("run", "--only", step, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"\"test\": \"{name}\"", run.Out);
        Assert.Contains($"\"failures\": {failures}", run.Out);
        Assert.Contains("\"failed\": 1,", run.Out);
        Assert.Equal("failed", await pipeline.ScalarAsync<string>($"SELECT status FROM {{meta}}.test_results WHERE test = '{name}'"));
    }

    /// <summary>
    /// The not_null, accepted_values and expression tests of a step are first counted in one pass;
    /// each must still come out as if it had run alone: exact failures, a where: that excludes the
    /// offending rows, and a test whose expression fails on some row (which fails the pass) reported
    /// as that test's failure while the others are still checked.
    /// </summary>
    [Fact]
    public async Task Tests_counted_in_one_pass_report_as_if_each_ran_alone()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = -1 WHERE id IN (10, 11)");
        AddTest(pipeline, "staging.orders", "expression: { expression: \"total >= 0\", name: positive }");
        AddTest(pipeline, "staging.orders", "expression: { expression: \"total >= 0\", where: \"order_id NOT IN (10, 11)\", name: positive_elsewhere }");
        AddTest(pipeline, "staging.orders", "not_null: [order_id, customer_id]");
        const string others = "not_null(order_id, customer_id)=passed/0 positive=failed/2 positive_elsewhere=passed/0 " +
                              "relationships(customer_id → staging.customers)=passed/0 unique(order_id)=passed/0";

        var run = await pipeline.Engine("run", "--only", "staging.orders", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("accepted_values(status)=passed/0 " + others, await LastTestsAsync(pipeline));

        AddTest(pipeline, "staging.orders", "expression: { expression: \"100 / (order_id - 10) IS NOT NULL\", name: divides }");
        run = await pipeline.Engine("run", "--only", "staging.orders", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("accepted_values(status)=passed/0 divides=failed/0 " + others, await LastTestsAsync(pipeline));
        Assert.Contains("the test query failed: division by zero", run.Out);
    }

    /// <summary>Each test of the last run as name=status/failures, in name order.</summary>
    private static Task<string> LastTestsAsync(IsolatedPipeline pipeline) => pipeline.ScalarAsync<string>(
        "SELECT string_agg(test || '=' || status || '/' || failures, ' ' ORDER BY test) FROM {meta}.test_results " +
        "WHERE run_id = (SELECT run_id FROM {meta}.runs ORDER BY started_at DESC LIMIT 1)");

    [Fact]
    public async Task Relationships_finds_children_without_a_parent()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        // A customer vanishes from staging while its orders stay (the source keeps them).
        await pipeline.ExecuteAsync("ALTER TABLE {source:shop}.orders DROP CONSTRAINT orders_customer_id_fkey; DELETE FROM {source:shop}.customers WHERE id = 2");

        var run = await pipeline.Engine("run", "--only", "staging", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"test\": \"relationships(customer_id → staging.customers)\"", run.Out);
        Assert.Contains("\"customer_id\": \"2\"", run.Out);
    }

    [Fact]
    public async Task An_error_failure_keeps_the_previous_mart_content_published()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var published = await pipeline.ContentAsync("{mart}.daily_revenue");
        // A broken mart: every revenue negative, which its expression test forbids.
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("sum(f.total) AS revenue", "-sum(f.total) AS revenue"));

        var run = await pipeline.Engine("run");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: test revenue_not_negative of mart.daily_revenue found 3 offending rows", run.Error);
        Assert.Contains("step mart.daily_revenue failed: 1 data test(s) failed: revenue_not_negative (3 rows)", run.Error);
        await using var reader = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await reader.OpenAsync();
        await using var command = new NpgsqlCommand(pipeline.Sql("SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM {mart}.daily_revenue AS t"), reader);
        Assert.Equal(published, (string)(await command.ExecuteScalarAsync())!);
        Assert.Equal("skipped", await pipeline.ScalarAsync<string>(
            "SELECT s.status FROM {meta}.run_steps s JOIN {meta}.runs r USING (run_id) WHERE s.step = 'mart.revenue_by_region' ORDER BY r.started_at DESC LIMIT 1"));
    }

    [Fact]
    public async Task A_warning_is_reported_and_recorded_but_does_not_block()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await pipeline.ExecuteAsync("SELECT 1"); // the source is created by the first run's migration
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.customers SET region = 'BA' WHERE id = 1");

        var run = await pipeline.Engine("run", "--only", "staging.customers", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"warned\": 1,", run.Out);
        Assert.Equal("BA", await pipeline.ScalarAsync<string>("SELECT region FROM {staging}.customers WHERE customer_id = 1"));
        Assert.Equal("warned", await pipeline.ScalarAsync<string>("SELECT status FROM {meta}.test_results WHERE test = 'accepted_values(region)' ORDER BY checked_at DESC LIMIT 1"));
    }

    [Fact]
    public async Task Sample_rows_mask_sensitive_columns()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        AddTest(pipeline, "mart.customer_totals", "expression: { expression: \"orders > 5\", name: many_orders }");

        var run = await pipeline.Engine("run", "--only", "mart.customer_totals", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"customer_id\": \"•••\"", run.Out);
        Assert.DoesNotMatch("\"customer_id\": \"[0-9]", run.Out);
        Assert.Contains("\"orders\": \"2\"", run.Out);
    }

    [Fact]
    public async Task Engine_test_checks_what_is_published_and_lists_every_test()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        await pipeline.ExecuteAsync("UPDATE {mart}.daily_revenue SET revenue = -1 WHERE region = 'RJ'");

        var test = await pipeline.Engine("test");

        Assert.Equal(1, test.ExitCode);
        Assert.Contains("10 tests: 9 passed, 1 failed, 0 warned", test.Out);
        Assert.Matches(@"FAIL  mart\.daily_revenue\s+revenue_not_negative\s+1 offending rows", test.Out);
        Assert.Matches(@"pass  staging\.orders\s+relationships\(customer_id → staging\.customers\)", test.Out);
    }

    [Fact]
    public async Task A_test_naming_an_unknown_column_is_a_configuration_error_at_its_line()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        AddTest(pipeline, "mart.customer_totals", "not_null: [revenu]");

        var run = await pipeline.Engine("run", "--only", "mart");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"pipeline\.yaml\(\d+,13\): error: test not_null\(revenu\) of mart\.customer_totals names column 'revenu', which table ""shop_mart_t\w+""\.""customer_totals"" does not have", run.Error);
        Assert.Contains("hint: did you mean 'revenue'?", run.Error);
    }

    [Fact]
    public async Task Seeds_reload_only_when_their_file_changes()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var first = await pipeline.Engine("seed");
        Assert.Contains("loaded    order_statuses (4 rows)", first.Out);
        Assert.Contains("unchanged order_statuses", (await pipeline.Engine("seed")).Out);

        File.AppendAllText(Path.Combine(pipeline.Dir, "seeds", "order_statuses.csv"), "shipped,completed\n");

        Assert.Contains("loaded    order_statuses (5 rows)", (await pipeline.Engine("seed")).Out);
        Assert.Equal(5L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {seeds}.order_statuses"));
    }

    [Fact]
    public async Task Seed_column_types_are_inferred_unless_declared()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        File.WriteAllText(Path.Combine(pipeline.Dir, "seeds", "regions.csv"),
            "code,population,active,founded,name,zip\nSP,46000000,true,1554-01-25,São Paulo,01000\nRJ,17000000,false,1565-03-01,Rio de Janeiro,20000\n");
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("seeds: seeds\n", "seeds: seeds\nseed_types:\n  regions: { zip: text }\n"));

        Assert.True((await pipeline.Engine("seed")).ExitCode == 0);

        Assert.Equal("boolean,text,date,text,bigint,text", await pipeline.ScalarAsync<string>(
            "SELECT string_agg(data_type, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_schema = '" +
            pipeline.Schema("seeds").Trim('"') + "' AND table_name = 'regions' AND column_name IN ('population', 'active', 'founded', 'name', 'zip', 'code')"));
        Assert.Equal("01000", await pipeline.ScalarAsync<string>("SELECT zip FROM {seeds}.regions WHERE code = 'SP'"));
    }

    /// <summary>Adds a test to a step's `tests:` list in the copied pipeline.yaml.</summary>
    private static void AddTest(IsolatedPipeline pipeline, string step, string test)
    {
        var name = step.Split('.')[1];
        pipeline.EditFile("pipeline.yaml", yaml =>
        {
            var at = yaml.IndexOf($"- name: {name}\n", StringComparison.Ordinal);
            var tests = yaml.IndexOf("        tests:\n", at, StringComparison.Ordinal);
            var next = yaml.IndexOf("- name:", at + 8, StringComparison.Ordinal);
            if (tests < 0 || (next >= 0 && tests > next))
            {
                var end = next < 0 ? yaml.Length : yaml.LastIndexOf('\n', next) + 1;
                return yaml[..end] + $"        tests:\n          - {test}\n" + yaml[end..];
            }
            var insert = tests + "        tests:\n".Length;
            return yaml[..insert] + $"          - {test}\n" + yaml[insert..];
        });
    }
}
