using System.Text.Json.Nodes;

namespace Lacrei.Engine.Tests.SlimCi;

/// <summary>
/// <c>plan --state</c> tells breaking changes (a column removed or retyped, a key changed) from
/// non-breaking ones (a column added, a description), from the columns the production state
/// recorded and the columns the changed SELECT gives, and names the steps downstream.
/// </summary>
public sealed class BreakingChangeTests
{
    private static async Task<(string State, CiEnvironment Ci)> SetUpAsync(IsolatedPipeline production)
    {
        var run = await production.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());
        return (Path.Combine(production.Dir, "target", "state"), new CiEnvironment(production));
    }

    private static async Task<JsonNode> ChangeAsync(CiEnvironment ci, string state, string step)
    {
        var plan = await ci.Engine("plan", "--json", "--state", state);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        return JsonNode.Parse(plan.Out)!["state"]!["changes"]!.AsArray().Single(c => (string)c!["node"]! == step)!;
    }

    [Fact]
    public async Task A_retyped_column_is_breaking_and_lists_the_steps_downstream()
    {
        await using var production = new IsolatedPipeline(Repo.ShopFixture);
        var (state, ci) = await SetUpAsync(production);
        await using var _ = ci;
        production.EditFile("model/order_facts.sql", sql => sql.Replace("    o.total,", "    o.total::float8 AS total,"));

        var change = await ChangeAsync(ci, state, "model.order_facts");
        var text = await ci.Engine("plan", "--state", state);

        Assert.Equal("breaking", (string)change["change"]!);
        Assert.Equal(["column total retyped: numeric(12,2) → double precision"], change["reasons"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["mart.daily_revenue", "mart.customer_totals", "mart.revenue_by_region"], change["downstream"]!.AsArray().Select(r => (string)r!));
        Assert.Contains("  modified  model.order_facts  breaking (sql)\n      column total retyped: numeric(12,2) → double precision\n" +
            "      downstream must rebuild: mart.daily_revenue, mart.customer_totals, mart.revenue_by_region\n", text.Out);
    }

    [Fact]
    public async Task A_removed_column_and_a_changed_key_are_breaking()
    {
        await using var production = new IsolatedPipeline(Repo.ShopFixture);
        var (state, ci) = await SetUpAsync(production);
        await using var _ = ci;
        production.EditFile("mart/customer_totals.sql", sql => sql.Replace(",\n    sum(f.total) FILTER (WHERE f.status = 'completed') AS revenue", ""));
        production.EditFile("pipeline.yaml", yaml => yaml.Replace("key: [order_date, region]", "key: [order_date, region, orders]"));

        var removed = await ChangeAsync(ci, state, "mart.customer_totals");
        var rekeyed = await ChangeAsync(ci, state, "mart.daily_revenue");

        Assert.Equal(("breaking", "column revenue removed"), ((string)removed["change"]!, (string)removed["reasons"]![0]!));
        Assert.Equal(("breaking", "key changed: (order_date, region) → (order_date, region, orders)"), ((string)rekeyed["change"]!, (string)rekeyed["reasons"]![0]!));
    }

    [Fact]
    public async Task An_added_column_or_a_description_is_non_breaking()
    {
        await using var production = new IsolatedPipeline(Repo.ShopFixture);
        var (state, ci) = await SetUpAsync(production);
        await using var _ = ci;
        production.EditFile("model/order_facts.sql", sql => sql.Replace("    o.order_date\n", "    o.order_date,\n    o.total * 100 AS total_cents\n"));
        production.EditFile("pipeline.yaml", yaml => yaml.Replace("Lifetime totals per customer.", "Lifetime totals per customer (completed orders)."));

        var added = await ChangeAsync(ci, state, "model.order_facts");
        var described = await ChangeAsync(ci, state, "mart.customer_totals");

        Assert.Equal(("non_breaking", "column total_cents added"), ((string)added["change"]!, (string)added["reasons"]![0]!));
        Assert.Equal(("non_breaking", "config"), ((string)described["change"]!, (string)described["differs"]![0]!));
    }
}
