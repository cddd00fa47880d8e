namespace Lacrei.Engine.Tests.Authoring;

/// <summary>
/// Issue 22's must-show: a pipeline of one's own, outside this repository's pipelines, from the
/// first command — <c>engine init</c>, a mart added as one SQL file and one YAML entry, its
/// snapshots approved and checked, a changed line caught with its diff, and a real run.
/// </summary>
public sealed class OwnPipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lacrei-own-").FullName;

    private string Dir => Path.Combine(_root, "shop");

    private Task<CliOutcome> Engine(params string[] args) => EngineCli.RunAsync([.. args, "--project", Path.Combine(Dir, "pipeline.yaml")]);

    [Fact]
    public async Task Init_add_a_mart_approve_check_catch_a_change_and_run()
    {
        var init = await EngineCli.RunAsync(["init", Dir]);
        Assert.True(init.ExitCode == 0, init.ToString());

        // A mart is one SQL file and one YAML entry.
        File.WriteAllText(Path.Combine(Dir, "mart", "orders_by_status.sql"), """
            -- Grain: one row per status.
            SELECT
                o.status,
                count(*) AS orders
            FROM {{ ref "staging.orders" }} AS o
            GROUP BY o.status
            """);
        File.AppendAllText(Path.Combine(Dir, "pipeline.yaml"), """
                  - name: orders_by_status
                    sql: mart/orders_by_status.sql
                    materialize: replace
                    key: [status]

            """);

        var firstCheck = await Engine("render", "--check");
        var approve = await Engine("render", "--approve");
        var check = await Engine("render", "--check");

        Assert.True(firstCheck.ExitCode == 1, firstCheck.ToString());
        Assert.Contains("(0 changed, 1 new, 0 orphaned)", firstCheck.Out);
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.StartsWith("new:     ", approve.Out);
        Assert.Contains("snapshots/mart.orders_by_status.sql\n", approve.Out);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.StartsWith("3 files match the approved snapshots", check.Out);

        File.WriteAllText(Path.Combine(Dir, "mart", "orders_by_status.sql"),
            File.ReadAllText(Path.Combine(Dir, "mart", "orders_by_status.sql")).Replace("count(*) AS orders", "count(DISTINCT o.order_id) AS orders"));
        var changed = await Engine("render", "--check");

        Assert.True(changed.ExitCode == 1, changed.ToString());
        Assert.Contains("snapshots/mart.orders_by_status.sql (approved)\n+++ ", changed.Out);
        Assert.Contains("\n-    count(*) AS orders\n+    count(DISTINCT o.order_id) AS orders\n", changed.Out);
        Assert.Contains("1 of 3 files differ from the approved snapshots (1 changed, 0 new, 0 orphaned)", changed.Out);

        // The same folder runs against a real database, in schemas of this test's own.
        await using var pipeline = new IsolatedPipeline(Dir);
        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("data tests: 5 passed, 0 failed, 0 warned", run.Out);
        Assert.Equal("(cancelled,1)\n(completed,4)\n(pending,1)", await pipeline.ContentAsync("{mart}.orders_by_status"));
        Assert.Equal("(2025-01-05,2,44.90)\n(2025-01-07,2,22.49)", await pipeline.ContentAsync("{mart}.daily_revenue"));
    }

    [Fact]
    public async Task Init_refuses_a_folder_that_is_not_empty()
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "notes.txt"), "mine");

        var init = await EngineCli.RunAsync(["init", Dir]);

        Assert.Equal(2, init.ExitCode);
        Assert.Contains(" is not empty: engine init writes only into a new or empty folder\n  hint: name a new folder: engine init my_pipeline", init.Error);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(Dir).Select(Path.GetFileName));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
