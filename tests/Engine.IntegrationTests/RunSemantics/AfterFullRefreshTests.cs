namespace Lacrei.Engine.Tests;

/// <summary>
/// The run after a <c>--full-refresh</c> (issue 21): a full refresh leaves every table as a normal
/// run would, so the next run goes on from it — scoped steps recompute only their scope, and steps
/// whose inputs did not change are skipped — instead of recomputing everything once more because
/// the full refresh's SQL (which rebuilds) differs from a normal run's.
/// </summary>
public sealed class AfterFullRefreshTests
{
    private static string Fixture => Repo.Path("tests", "fixtures", "extract");
    private static readonly Dictionary<string, string?> SameDatabase = new() { ["EXTRACT_SOURCE_URL"] = null };

    private static async Task<IsolatedPipeline> CreateAsync()
    {
        var pipeline = new IsolatedPipeline(Fixture);
        var source = pipeline.Schema("source:app");
        await pipeline.ExecuteAsync($"""
            CREATE SCHEMA {source};
            CREATE TABLE {source}.users (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, city text, email text, deleted_at timestamptz);
            CREATE TABLE {source}.orders (id bigint PRIMARY KEY, user_id bigint, updated_at timestamptz NOT NULL, total numeric(12, 2));
            CREATE TABLE {source}.user_tags (id bigint PRIMARY KEY, user_id bigint, tag text);
            INSERT INTO {source}.users VALUES (1, '2025-01-01', '2025-01-01', 'Recife', NULL, NULL), (2, '2025-01-01', '2025-01-01', 'Natal', NULL, NULL);
            INSERT INTO {source}.orders VALUES (10, 1, '2025-01-05', 50.00), (11, 2, '2025-01-05', 70.00);
            """);
        return pipeline;
    }

    private static string Rendered(IsolatedPipeline pipeline, string step) =>
        File.ReadAllText(Path.Combine(pipeline.Dir, "target", "rendered", "model", step + ".sql"));

    [Fact]
    public async Task A_delta_right_after_a_full_refresh_recomputes_only_the_scope()
    {
        await using var pipeline = await CreateAsync();
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run")).ExitCode);
        var refresh = await pipeline.Engine(SameDatabase, "run", "--full-refresh");
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.DoesNotContain("lp_scope", Rendered(pipeline, "order_facts"));

        await pipeline.ExecuteAsync($"UPDATE {pipeline.Schema("source:app")}.orders SET total = 60.00, updated_at = '2025-01-06' WHERE id = 10");
        var delta = await pipeline.Engine(SameDatabase, "run", "--json");
        Assert.True(delta.ExitCode == 0, delta.ToString());
        Assert.Contains("lp_scope", Rendered(pipeline, "order_facts"));
        Assert.Contains("lp_scope", Rendered(pipeline, "city_totals"));
        Assert.Equal(60.00m, await pipeline.ScalarAsync<decimal>("SELECT total FROM {model}.order_facts WHERE order_id = 10"));
    }

    [Fact]
    public async Task A_no_op_right_after_a_full_refresh_skips_the_steps_whose_inputs_did_not_change()
    {
        await using var pipeline = await CreateAsync();
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run", "--full-refresh")).ExitCode);
        var noop = await pipeline.Engine(SameDatabase, "run");
        Assert.True(noop.ExitCode == 0, noop.ToString());
        Assert.Matches(@"unchanged\s+model\.city_users", noop.Out);
        Assert.Matches(@"unchanged\s+model\.order_facts", noop.Out);
    }

    private static Task<long> Logged(IsolatedPipeline pipeline, string step) =>
        pipeline.ScalarAsync<long>($"SELECT count(*) FROM {{meta}}.changes WHERE step = '{step}'");

    [Fact]
    public async Task A_full_refresh_restarts_change_logs_instead_of_logging_every_row_and_the_readers_stay_right()
    {
        await using var pipeline = await CreateAsync();
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run")).ExitCode);
        var source = pipeline.Schema("source:app");

        // A full refresh that rewrites order_facts' rows: nothing logged for city_totals, which is refreshed too.
        await pipeline.ExecuteAsync($"UPDATE {source}.orders SET total = 61.00, updated_at = '2025-01-06' WHERE id = 10");
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run", "--full-refresh")).ExitCode);
        Assert.Equal(0L, await Logged(pipeline, "model.order_facts"));

        // The next change goes on from there, and city_totals is right.
        await pipeline.ExecuteAsync($"UPDATE {source}.orders SET total = 62.00, updated_at = '2025-01-07' WHERE id = 10");
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run")).ExitCode);
        Assert.Contains("lp_scope", Rendered(pipeline, "city_totals"));
        var expected = await pipeline.ContentAsync("{model}.city_totals");

        // A full refresh of order_facts alone: city_totals, not refreshed, finds the log restarted
        // and recomputes everything on its next run, so the rows it did not see logged still count.
        await pipeline.ExecuteAsync($"UPDATE {source}.orders SET total = 90.00, updated_at = '2025-01-08' WHERE id = 11");
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run", "--full-refresh", "--only", "staging.orders,model.order_facts")).ExitCode);
        Assert.Equal(0L, await Logged(pipeline, "model.order_facts"));
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run")).ExitCode);
        Assert.DoesNotContain("lp_scope", Rendered(pipeline, "city_totals"));
        Assert.NotEqual(expected, await pipeline.ContentAsync("{model}.city_totals"));
        var incremental = await pipeline.ContentAsync("{model}.city_totals");
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run", "--full-refresh")).ExitCode);
        Assert.Equal(incremental, await pipeline.ContentAsync("{model}.city_totals"));
    }
}
