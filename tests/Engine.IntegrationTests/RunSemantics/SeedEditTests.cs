namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// SPEC §6: seeds are DAG nodes, and a step that reads a seed is not "unchanged" once the seed's
/// file changed. Before, the seed was reloaded and its readers skipped as unchanged for good.
/// </summary>
public sealed class SeedEditTests
{
    private static async Task<IsolatedPipeline> WithSeedReaderAsync()
    {
        var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        // A step that reads nothing but the seed: nothing else can make it run again.
        File.WriteAllText(Path.Combine(pipeline.Dir, "model", "status_names.sql"),
            "SELECT status, count(*) AS spellings FROM {{ ref \"seeds.order_statuses\" }} GROUP BY status");
        File.WriteAllText(pipeline.YamlPath, File.ReadAllText(pipeline.YamlPath).Replace(
            "  - name: model\n    steps:\n",
            "  - name: model\n    steps:\n      - name: status_names\n        sql: model/status_names.sql\n        materialize: replace\n        key: [status]\n"));
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        return pipeline;
    }

    [Fact]
    public async Task An_edited_seed_reaches_the_steps_that_read_it_on_the_next_normal_run()
    {
        await using var pipeline = await WithSeedReaderAsync();
        Assert.Equal("(cancelled,2)\n(completed,1)\n(pending,1)", await pipeline.ContentAsync("{model}.status_names"));
        File.AppendAllText(Path.Combine(pipeline.Dir, "seeds", "order_statuses.csv"), "done,completed\n");

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("unchanged model.status_names", run.Out);
        Assert.Equal("(cancelled,2)\n(completed,2)\n(pending,1)", await pipeline.ContentAsync("{model}.status_names"));
        var again = await pipeline.Engine("run");
        Assert.Matches(@"unchanged +model\.status_names", again.Out);
    }

    [Fact]
    public async Task A_seed_is_a_node_of_plan_graph_and_selection()
    {
        await using var pipeline = await WithSeedReaderAsync();

        var plan = await pipeline.Engine("plan", "--only", "seeds.order_statuses+");
        var graph = await pipeline.Engine("graph");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Matches(@"seeds\.order_statuses +seed +→ staging\.orders, model\.status_names", plan.Out);
        Assert.Matches(@"1\. staging\.orders ", plan.Out);
        Assert.Matches(@"model\.status_names +replace by \(status\) +← seeds\.order_statuses", plan.Out);
        Assert.DoesNotContain("staging.customers ", plan.Out);
        Assert.Contains("model.status_names ← seeds.order_statuses\n", graph.Out);
        Assert.StartsWith("seeds.order_statuses\n", graph.Out);
    }
}
