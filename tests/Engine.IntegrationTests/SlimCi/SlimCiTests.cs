using System.Text.Json.Nodes;

namespace Lacrei.Engine.Tests.SlimCi;

/// <summary>
/// dbt's slim CI: a production run leaves its state; a CI run of a change builds only the changed
/// step and what is downstream of it, in its own schemas, and reads everything else from production.
/// </summary>
public sealed class SlimCiTests
{
    /// <summary>A production run, and its state copied where a CI job would download it.</summary>
    private static async Task<string> ProductionStateAsync(IsolatedPipeline production)
    {
        var run = await production.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());
        var state = Path.Combine(production.Dir, "prod_state");
        Directory.CreateDirectory(state);
        File.Copy(Path.Combine(production.Dir, "target", "state", "manifest.json"), Path.Combine(state, "manifest.json"));
        return state;
    }

    [Fact]
    public async Task A_changed_staging_step_is_built_with_its_descendants_and_the_rest_is_read_from_production()
    {
        await using var production = new IsolatedPipeline(Repo.ShopFixture);
        await using var ci = new CiEnvironment(production);
        var state = await ProductionStateAsync(production);
        // Production's customers differ from what a fresh build would give: a CI step that reads them proves where it read.
        await production.ExecuteAsync("UPDATE {staging}.customers SET region = 'MG' WHERE customer_id = 3");
        production.EditFile("staging/orders.sql", sql => sql.Replace("    o.total,", "    o.total * 2 AS total,"));

        var run = await ci.Engine("run", "--only", "state:modified+", "--defer", "--state", state, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var steps = JsonNode.Parse(run.Out)!["steps"]!.AsArray().Select(s => (string)s!["step"]!).ToList();
        Assert.Equal(["staging.orders", "model.order_facts", "mart.daily_revenue", "mart.customer_totals", "mart.revenue_by_region"], steps);
        Assert.Equal("orders", await ci.TablesAsync("staging"));
        Assert.Equal("order_facts", await ci.TablesAsync("model"));
        Assert.Equal("customer_totals,daily_revenue,revenue_by_region", await ci.TablesAsync("mart"));
        // The changed SQL in CI, production's customers through --defer.
        Assert.Equal("400.00 MG", await production.ScalarAsync<string>(
            $"SELECT total || ' ' || region FROM {ci.Schema("model")}.order_facts WHERE order_id = 13"));
        Assert.Equal(400.00m, await production.ScalarAsync<decimal>(
            $"SELECT revenue FROM {ci.Schema("mart")}.daily_revenue WHERE order_date = '2025-05-02' AND region = 'MG'"));
        // Production is untouched.
        Assert.Equal(200.00m, await production.ScalarAsync<decimal>("SELECT total FROM {model}.order_facts WHERE order_id = 13"));
    }

    [Fact]
    public async Task Without_defer_the_CI_run_refuses_to_read_steps_it_has_not_built()
    {
        await using var production = new IsolatedPipeline(Repo.ShopFixture);
        await using var ci = new CiEnvironment(production);
        var state = await ProductionStateAsync(production);
        production.EditFile("model/order_facts.sql", sql => sql.Replace("    o.total,", "    o.total * 2 AS total,"));

        var run = await ci.Engine("run", "--only", "state:modified+", "--state", state);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cannot run model.order_facts: it reads staging.orders, which is not in the selection and has never been built", run.Error);
    }

    [Fact]
    public async Task An_unchanged_project_selects_nothing_and_the_CI_run_succeeds()
    {
        await using var production = new IsolatedPipeline(Repo.ShopFixture);
        await using var ci = new CiEnvironment(production);
        var state = await ProductionStateAsync(production);

        var plan = await ci.Engine("plan", "--only", "state:modified+", "--state", state);
        var run = await ci.Engine("run", "--only", "state:modified+", "--defer", "--state", state, "--json");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("0 of 6 steps", plan.Out);
        Assert.Contains("nothing differs", plan.Out);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(JsonNode.Parse(run.Out)!["steps"]!.AsArray());
    }

    [Fact]
    public async Task A_changed_seed_selects_its_readers()
    {
        await using var production = new IsolatedPipeline(Repo.ShopFixture);
        await using var ci = new CiEnvironment(production);
        var state = await ProductionStateAsync(production);
        production.EditFile("seeds/order_statuses.csv", csv => csv + "shipped,completed\n");

        var plan = await ci.Engine("plan", "--json", "--only", "state:modified+", "--state", state, "--defer");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        var json = JsonNode.Parse(plan.Out)!;
        Assert.Equal(["staging.orders", "model.order_facts", "mart.daily_revenue", "mart.customer_totals", "mart.revenue_by_region"],
            json["steps"]!.AsArray().Select(s => (string)s!["step"]!));
        Assert.Equal(["staging.customers"], json["state"]!["deferred"]!.AsArray().Select(s => (string)s!));
        var change = json["state"]!["changes"]!.AsArray().Single()!;
        Assert.Equal(("seeds.order_statuses", "modified", "seed"), ((string)change["node"]!, (string)change["status"]!, (string)change["differs"]![0]!));
    }
}
