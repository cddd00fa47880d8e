using System.Text.Json.Nodes;

namespace Lacrei.Engine.Tests.SlimCi;

/// <summary>
/// <c>plan --json</c> with a database says whether a run would skip each step as unchanged, and
/// why not; <c>--write-state</c> records the tables' columns.
/// </summary>
public sealed class PlanForecastTests
{
    private static async Task<Dictionary<string, (bool? Skip, string Why)>> ForecastAsync(IsolatedPipeline pipeline, params string[] args)
    {
        var plan = await pipeline.Engine(["plan", "--json", .. args]);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        return JsonNode.Parse(plan.Out)!["steps"]!.AsArray().ToDictionary(s => (string)s!["step"]!,
            s => (s!["would_skip"]?.GetValue<bool>(), (string)s["would_skip_reason"]!));
    }

    [Fact]
    public async Task Before_any_run_every_step_would_run()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var forecast = await ForecastAsync(pipeline);

        Assert.All(forecast.Values, f => Assert.Equal((false, "the pipeline never ran in this target"), f));
    }

    [Fact]
    public async Task After_a_run_unchanged_steps_would_be_skipped_and_a_changed_one_would_not()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);

        var whole = await ForecastAsync(pipeline);
        var marts = await ForecastAsync(pipeline, "--only", "model.order_facts+");
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("count(*) AS orders", "count(*)::int AS orders"));
        var edited = await ForecastAsync(pipeline, "--only", "model.order_facts+");

        Assert.Equal((false, "it reads a source table directly"), whole["staging.orders"]);
        Assert.Equal((null, "it depends on whether staging.orders writes rows"), whole["model.order_facts"]);
        Assert.Equal((true, "its SQL, inputs and table are as it last left them"), marts["model.order_facts"]);
        Assert.Equal(true, marts["mart.daily_revenue"].Skip);
        Assert.Equal((false, "a script step always runs"), marts["mart.revenue_by_region"]);
        Assert.Equal((false, "its SQL changed since it last ran"), edited["mart.daily_revenue"]);
        Assert.Equal(true, edited["mart.customer_totals"].Skip);
        // And a run agrees.
        var run = await pipeline.Engine("run", "--only", "model.order_facts+");
        Assert.Matches(@"unchanged\s+model\.order_facts", run.Out);
        Assert.Matches(@"success\s+mart\.daily_revenue", run.Out);
    }

    [Fact]
    public async Task Write_state_records_the_columns_of_built_tables()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging")).ExitCode);
        var dir = Path.Combine(pipeline.Dir, "written");

        var outcome = await pipeline.Engine("plan", "--write-state", dir);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var steps = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!["steps"]!.AsArray();
        var orders = steps.Single(s => (string)s!["step"]! == "staging.orders")!;
        Assert.Equal("order_id bigint, customer_id bigint, status text, total numeric(12,2), order_date date",
            string.Join(", ", orders["columns"]!.AsArray().Select(c => $"{c!["name"]} {c["type"]}")));
        Assert.Null(steps.Single(s => (string)s!["step"]! == "model.order_facts")!["columns"]);
    }

    [Fact]
    public async Task Migrate_and_seed_print_json()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var migrate = await pipeline.Engine("migrate", "--json");
        var seed = await pipeline.Engine("seed", "--json");

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        var applied = JsonNode.Parse(migrate.Out)!["applied"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains("engine/0001_run_log.sql", applied);
        Assert.Equal("migrations/0001_source.sql", applied[^1]);
        Assert.True(seed.ExitCode == 0, seed.ToString());
        var loaded = JsonNode.Parse(seed.Out)!.AsArray().Single()!;
        Assert.Equal(("order_statuses", true), ((string)loaded["seed"]!, (bool)loaded["loaded"]!));
    }
}
