namespace Lacrei.Engine.Tests;

/// <summary>
/// Issue 23: <c>contract: true</c> makes a step's declared <c>columns:</c> (name, type, not_null)
/// binding. A SELECT that differs fails the step naming the columns, before anything is
/// published; a contract without types is a configuration error at its line.
/// </summary>
public sealed class ContractTests
{
    private const string Contract = """
                description: One row per order, with the customer's region.
                contract: true
                columns:
                  order_id: { type: bigint, not_null: true, description: The order. }
                  customer_id: { type: bigint }
                  region: { type: text, not_null: true }
                  status: { type: text }
                  total: { type: "numeric(12,2)" }
                  order_date: { type: date }
        """;

    private static void AddContract(IsolatedPipeline pipeline, string contract = Contract) =>
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("        description: One row per order, with the customer's region.\n", contract + "\n"));

    [Fact]
    public async Task A_select_that_keeps_its_contract_is_published_with_the_declared_types()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        AddContract(pipeline);

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("order_id bigint, customer_id bigint, region text, status text, total numeric(12,2), order_date date",
            await pipeline.ScalarAsync<string>("""
                SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
                FROM pg_attribute WHERE attrelid = '{model}.order_facts'::regclass AND attnum > 0 AND NOT attisdropped
                """));
        Assert.Equal("The order.", await pipeline.ScalarAsync<string>("SELECT col_description('{model}.order_facts'::regclass, 1)"));
    }

    [Fact]
    public async Task A_missing_an_extra_and_a_retyped_column_fail_the_step_by_name_and_nothing_is_published()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var before = await pipeline.ContentAsync("{model}.order_facts");
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET total = total + 1");
        AddContract(pipeline, Contract.Replace("order_date: { type: date }", "order_day: { type: date }")
            .Replace("customer_id: { type: bigint }", "customer_id: { type: int }")
            .Replace("\"numeric(12,2)\"", "\"numeric(10,2)\""));

        var run = await pipeline.Engine("run", "--only", "+model.order_facts");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("step 'model.order_facts' breaks its contract: column 'order_day' is declared but the SELECT does not return it; " +
            "the SELECT returns column 'order_date', which the contract does not declare; " +
            "column 'customer_id' is bigint, and the contract says integer; " +
            "column 'total' is numeric(12,2), and the contract says numeric(10,2)", run.Error);
        Assert.Equal(before, await pipeline.ContentAsync("{model}.order_facts"));
    }

    [Fact]
    public async Task A_null_in_a_not_null_column_fails_the_step_without_showing_a_value()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        AddContract(pipeline);
        pipeline.EditFile("model/order_facts.sql", sql => sql.Replace("coalesce(c.region, 'unknown') AS region", "c.region"));

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("step 'model.order_facts' breaks its contract: column 'region' holds NULL, and the contract says not_null", run.Error);
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT to_regclass('{model}.order_facts') IS NULL"));
    }

    [Fact]
    public async Task A_contract_without_types_is_a_configuration_error_at_its_line()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        AddContract(pipeline, Contract.Replace("status: { type: text }", "status: The order's status."));

        var validate = await pipeline.Engine("validate");

        Assert.True(validate.ExitCode == 2, validate.ToString());
        Assert.True(validate.Error.Contains("pipeline.yaml(58,11): error: step 'model.order_facts': column 'status' has no type, and the step has a contract"), validate.ToString());
    }
}
