using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>
/// A keyed table's fillfactor is the step's <c>fillfactor:</c>, else PostgreSQL's 100; the
/// procedure call carries it (so that removing the key resets a table). A value out of range, or
/// on a step whose table is not updated by key, is refused at its line.
/// </summary>
public sealed class FillfactorTests
{
    private static TempPipeline Create(string ordersExtra = "", string totalsExtra = "") => TempPipeline.Create($$"""
        name: shop
        schemas:
          mart: shop_mart
        layers:
          - name: mart
            steps:
              - name: orders
                sql: orders.sql
                materialize: upsert
                key: [id]
        {{ordersExtra}}
              - name: totals
                sql: totals.sql
                materialize: replace
        {{totalsExtra}}
        """, ("orders.sql", "SELECT 1 AS id"), ("totals.sql", "SELECT 2 AS total"));

    private static string CallOf(TempPipeline pipeline, string step) =>
        pipeline.Build().Steps[new StepId("mart", step)].Sql.Split('\n').Single(line => line.StartsWith("CALL ", StringComparison.Ordinal));

    [Fact]
    public void A_keyed_table_gets_fillfactor_100_and_a_table_without_a_key_none()
    {
        using var pipeline = Create();

        Assert.Contains("p_fillfactor => 100", CallOf(pipeline, "orders"));
        Assert.DoesNotContain("p_fillfactor", CallOf(pipeline, "totals"));
    }

    [Fact]
    public void A_steps_own_fillfactor_wins()
    {
        using var pipeline = Create("        fillfactor: 90");

        Assert.Contains("p_fillfactor => 90", CallOf(pipeline, "orders"));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("101")]
    [InlineData("ninety")]
    [InlineData("90.5")]
    public void A_fillfactor_out_of_range_is_refused_at_its_line(string value)
    {
        using var pipeline = Create($"        fillfactor: {value}");

        var error = Expect.Single(pipeline.LoadErrors());

        Assert.Equal($"step 'mart.orders': 'fillfactor' must be a whole number from 10 to 100, found '{value}'", error.Message);
        Assert.Equal("the percentage of each page PostgreSQL fills (100, the default, packs them full); 90 leaves room for updates in place", error.Hint);
        Assert.Equal((pipeline.Display(), 11), (error.Span?.File, error.Span?.Line));
    }

    [Fact]
    public void A_fillfactor_on_a_table_without_a_key_is_refused()
    {
        using var pipeline = Create(totalsExtra: "        fillfactor: 80");

        var error = Expect.Single(pipeline.LoadErrors());

        Assert.Equal("step 'mart.totals': 'fillfactor' applies to a table the engine updates by key", error.Message);
        Assert.Equal("add 'key:', or remove it: a table without a key is rewritten whole", error.Hint);
    }
}
