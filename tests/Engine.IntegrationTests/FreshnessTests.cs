namespace Lacrei.Engine.Tests;

/// <summary>
/// Issue 23: source freshness. <c>engine freshness</c> reports the age of each source table's
/// newest row (by the cursor, read on the source, else by the engine's last capture) against
/// <c>warn_after</c>/<c>error_after</c>; <c>run --require-fresh</c> refuses a stale source and
/// writes nothing. A cursor in the future never makes a table look fresh.
/// </summary>
public sealed class FreshnessTests
{
    private static string Fixture => Repo.Path("tests", "fixtures", "extract");

    private static void AddFreshness(IsolatedPipeline pipeline) => pipeline.EditFile("pipeline.yaml", yaml => yaml
        .Replace("          deletes: reconcile\n", "          deletes: reconcile\n          freshness: { warn_after: 2h, error_after: 1d }\n")
        .Replace("          deletes: soft\n", "          deletes: soft\n          freshness: { error_after: 1d }\n")
        .Replace("          columns: [id, user_id, tag]\n", "          columns: [id, user_id, tag]\n          freshness: { warn_after: 1h }\n"));

    [Fact]
    public async Task Each_table_is_dated_by_its_newest_cursor_or_its_last_capture()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        AddFreshness(pipeline);
        await source.ExecuteAsync("""
            INSERT INTO {s}.users VALUES (1, now() - interval '5 days', now() - interval '3 hours', 'Recife', NULL, NULL),
                                         (2, now() - interval '5 days', now() - interval '4 days', 'Natal', NULL, NULL);
            INSERT INTO {s}.orders VALUES (10, 1, now() - interval '2 days', 50.00);
            INSERT INTO {s}.user_tags VALUES (1, 1, 'a');
            """);

        var before = await pipeline.Engine(env, "freshness", "--json");

        Assert.True(before.ExitCode == 1, before.ToString());
        Assert.Contains("\"step\": \"staging.users\"", before.Out);
        Assert.Matches("\"measured_by\": \"updated_at\",\\s+\"age_seconds\": 108\\d\\d(\\.\\d+)?,\\s+\"warn_after_seconds\": 7200,\\s+\"error_after_seconds\": 86400,\\s+\"future_rows\": 0,\\s+\"status\": \"warn\"", before.Out);
        Assert.Matches("\"step\": \"staging.orders\",[^}]+\"status\": \"error\"", before.Out);
        // A table without a cursor is dated by the engine's capture: never extracted yet, a warning (the first run must pass).
        Assert.Matches("\"step\": \"staging.user_tags\",[^}]+\"measured_by\": \"captured\",\\s+\"age_seconds\": null,[^}]+\"status\": \"warn\",\\s+\"error\": \"never extracted\"", before.Out);

        Assert.Equal(0, (await pipeline.Engine(env, "run", "--only", "staging")).ExitCode);
        var after = await pipeline.Engine(env, "freshness", "--only", "staging.user_tags");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Matches(@"pass   staging\.user_tags\s+newest row \d+s old \(by captured\)  \[warn after 1h\]", after.Out);
        Assert.Contains("1 sources: 1 fresh, 0 warned, 0 stale", after.Out);
    }

    [Fact]
    public async Task A_cursor_in_the_future_does_not_make_a_table_look_fresh()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        AddFreshness(pipeline);
        await source.ExecuteAsync("""
            INSERT INTO {s}.users VALUES (1, now(), now() - interval '3 days', 'Recife', NULL, NULL),
                                         (2, now(), '2200-01-01', 'Natal', NULL, NULL),
                                         (3, now(), 'infinity', 'Natal', NULL, NULL);
            """);

        var result = await pipeline.Engine(env, "freshness", "--only", "staging.users");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"error  staging\.users\s+newest row 72h( \d+min)? old \(by updated_at\)  \[warn after 2h, error after 24h\]; " +
            "warning: 2 rows have a updated_at after the source's clock and were not counted", result.Out);
    }

    [Fact]
    public async Task Run_with_require_fresh_refuses_a_stale_source_and_writes_nothing()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        AddFreshness(pipeline);
        await source.ExecuteAsync("""
            INSERT INTO {s}.users VALUES (1, now(), now() - interval '1 hour', 'Recife', NULL, NULL);
            INSERT INTO {s}.orders VALUES (10, 1, now() - interval '2 days', 50.00);
            """);

        var refused = await pipeline.Engine(env, "run", "--require-fresh");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("error: --require-fresh: 1 selected source table(s) are past their error_after (staging.orders); nothing was run", refused.Error);
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT to_regnamespace('{meta}') IS NULL AND to_regnamespace('{staging}') IS NULL"));

        var fresh = await pipeline.Engine(env, "run", "--require-fresh", "--only", "staging.users");
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.Equal(1L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {staging}.users"));
    }
}
