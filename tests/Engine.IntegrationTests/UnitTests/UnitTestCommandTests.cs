namespace Lacrei.Engine.Tests.UnitTests;

/// <summary>
/// Issue 23: <c>engine test --unit</c> runs the unit tests in <c>unit_tests/</c> on mock inputs,
/// each in a transaction that is rolled back; a failure shows the differing rows with the file
/// and the test's name (exit 1); a wrong file is exit 2 at its line and column.
/// </summary>
public sealed class UnitTestCommandTests
{
    private const string OrdersTest = """
        unit_tests:
          - name: statuses_are_mapped_through_the_seed
            step: staging.orders
            given:
              - source: shop.orders
                rows:
                  - { id: 1, customer_id: 7, status: " Completed ", total: 10.5, ordered_at: "2025-05-02T02:00:00Z" }
                  - { id: 2, customer_id: 7, status: "shipped", total: 3, ordered_at: "2025-05-02T12:00:00Z" }
            expect:
              rows:
                - { order_id: 1, status: completed, order_date: 2025-05-01 }
                - { order_id: 2, status: unknown, order_date: 2025-05-02 }
        """;

    private static void WriteTests(IsolatedPipeline pipeline, string name, string yaml)
    {
        Directory.CreateDirectory(Path.Combine(pipeline.Dir, "unit_tests"));
        File.WriteAllText(Path.Combine(pipeline.Dir, "unit_tests", name), yaml);
    }

    [Fact]
    public async Task A_step_on_mock_inputs_returns_the_expected_rows_and_nothing_stays()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        WriteTests(pipeline, "orders.yaml", OrdersTest);

        var result = await pipeline.Engine("test", "--unit");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("PASS  staging.orders › statuses_are_mapped_through_the_seed (", result.Out);
        Assert.Contains("1 unit tests: 1 passed, 0 failed, 0 errors", result.Out);
        // The step never ran: its table does not exist, and the source kept its own rows.
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT to_regclass('{staging}.orders') IS NULL"));
        Assert.Equal(6L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {source:shop}.orders"));
    }

    [Fact]
    public async Task A_failing_test_prints_missing_and_unexpected_rows_with_its_file_and_name()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        WriteTests(pipeline, "orders.yaml", OrdersTest.Replace("{ order_id: 2, status: unknown", "{ order_id: 2, status: shipped"));

        var result = await pipeline.Engine("test", "--unit");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("FAIL  staging.orders › statuses_are_mapped_through_the_seed (", result.Out);
        Assert.Contains("orders.yaml(2,5))", result.Out);
        Assert.Contains("  missing:    {\"order_id\" : 2, \"status\" : \"shipped\", \"order_date\" : \"2025-05-02\"}", result.Out);
        Assert.Contains("  unexpected: {\"order_id\" : 2, \"status\" : \"unknown\", \"order_date\" : \"2025-05-02\"}", result.Out);
        Assert.Contains("1 unit tests: 0 passed, 1 failed, 0 errors", result.Out);
    }

    [Fact]
    public async Task Rows_are_compared_as_multisets_over_the_listed_columns_whatever_their_order()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        const string statuses = """
            unit_tests:
              - name: statuses
                step: staging.orders
                given:
                  - source: shop.orders
                    rows:
                      - { id: 1, status: "shipped" }
                      - { id: 2, status: "completed" }
                      - { id: 3, status: "lost" }
                expect:
                  rows:
                    - { status: completed }
                    - { status: unknown }
                    - { status: unknown }
            """;
        WriteTests(pipeline, "orders.yaml", statuses);
        var pass = await pipeline.Engine("test", "--unit");
        Assert.True(pass.ExitCode == 0, pass.ToString());

        WriteTests(pipeline, "orders.yaml", statuses.Replace("        - { status: unknown }\n        - { status: unknown }", "        - { status: unknown }"));
        var once = await pipeline.Engine("test", "--unit");
        Assert.True(once.ExitCode == 1, once.ToString());
        Assert.Contains("  unexpected: {\"status\" : \"unknown\"}", once.Out);
        Assert.DoesNotContain("missing:", once.Out);
    }

    [Fact]
    public async Task A_column_the_input_does_not_have_is_an_error_at_its_line_and_column()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        WriteTests(pipeline, "orders.yaml", OrdersTest.Replace("{ id: 1, customer_id: 7,", "{ id: 1, customer: 7,"));

        var result = await pipeline.Engine("test", "--unit");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.True(result.Error.Contains("orders.yaml(7,22): error: 'shop.orders' has no column 'customer'"), result.ToString());
        Assert.True(result.Error.Contains("hint: known columns: id, customer_id, status, total, ordered_at"), result.ToString());
    }

    [Fact]
    public async Task An_unknown_step_or_key_is_an_error_before_anything_runs()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        WriteTests(pipeline, "orders.yaml", OrdersTest.Replace("step: staging.orders", "step: staging.order").Replace("    given:", "    givne:"));

        var result = await pipeline.Engine("test", "--unit");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.True(result.Error.Contains("orders.yaml(3,11): error: unit test 'statuses_are_mapped_through_the_seed': unknown step 'staging.order'"), result.ToString());
        Assert.True(result.Error.Contains("hint: did you mean 'staging.orders'?"), result.ToString());
        Assert.True(result.Error.Contains("orders.yaml(4,5): error: unknown key 'givne' in a unit test"), result.ToString());
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT to_regnamespace('{meta}') IS NULL"));
    }

    [Fact]
    public async Task An_input_the_step_reads_must_be_given()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        WriteTests(pipeline, "facts.yaml", """
            unit_tests:
              - name: region_of_the_customer
                step: model.order_facts
                given:
                  - ref: staging.orders
                    columns: { order_id: bigint, customer_id: bigint }
                    rows: [{ order_id: 1, customer_id: 2 }]
                expect:
                  rows: [{ order_id: 1, region: SP }]
            """);

        var result = await pipeline.Engine("test", "--unit");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.True(result.Error.Contains("error: unit test 'region_of_the_customer': step 'model.order_facts' reads 'staging.customers', which the test does not give"), result.ToString());
    }

    [Fact]
    public async Task Column_types_are_declared_where_the_upstream_table_does_not_exist_yet()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        const string facts = """
            unit_tests:
              - name: region_of_the_customer
                step: model.order_facts
                given:
                  - ref: staging.orders
                    columns: { order_id: bigint, customer_id: bigint, status: text, total: numeric, order_date: date }
                    rows: [{ order_id: 1, customer_id: 2, status: completed, total: 5, order_date: 2025-01-02 }]
                  - ref: staging.customers
                    columns: { customer_id: bigint, region: text }
                    rows: [{ customer_id: 2, region: null }]
                expect:
                  rows: [{ order_id: 1, region: unknown, total: 5.00 }]
            """;
        WriteTests(pipeline, "facts.yaml", facts.Replace("columns: { customer_id: bigint, region: text }", "columns: { customer_id: bigint }"));
        var undeclared = await pipeline.Engine("test", "--unit");
        Assert.True(undeclared.ExitCode == 2, undeclared.ToString());
        Assert.Contains("error: the type of column 'region' of 'staging.customers' is unknown", undeclared.Error);

        WriteTests(pipeline, "facts.yaml", facts);
        var declared = await pipeline.Engine("test", "--unit");
        Assert.True(declared.ExitCode == 0, declared.ToString());
    }

    [Fact]
    public async Task A_value_that_does_not_read_as_its_type_is_an_error_at_its_row()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        WriteTests(pipeline, "orders.yaml", OrdersTest.Replace("total: 3,", "total: three,"));

        var result = await pipeline.Engine("test", "--unit");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.True(result.Error.Contains("orders.yaml(8,13): error: a value of the rows of 'shop.orders' does not fit its column: invalid input syntax for type numeric: \"three\""), result.ToString());
    }
}
