using CsCheck;

namespace Lacrei.Engine.Tests;

/// <summary>Extraction from a separate source database (issue: extraction), and incremental steps.</summary>
public sealed class ExtractionTests
{
    private static string Fixture => Repo.Path("tests", "fixtures", "extract");

    private const string UsersProjection =
        "SELECT id, created_at, updated_at, city, deleted_at, email IS NOT NULL AS has_email FROM {s}.users WHERE deleted_at IS NULL";
    private const string OrdersProjection = "SELECT id, user_id, updated_at, total FROM {s}.orders";

    [Fact]
    public async Task Staging_equals_the_source_projection_after_inserts_updates_and_deletes()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        await source.ExecuteAsync("""
            INSERT INTO {s}.users VALUES
              (1, '2025-01-01', '2025-01-01 10:00', 'Recife', 'a@example.org', NULL),
              (2, '2025-01-02', '2025-01-02 10:00', 'Natal', NULL, NULL),
              (3, '2025-01-03', '2025-01-03 10:00', NULL, 'c@example.org', NULL);
            INSERT INTO {s}.orders VALUES (10, 1, '2025-01-05 10:00', 50.00), (11, 2, '2025-01-05 11:00', 20.00);
            """);
        Assert.True((await pipeline.Engine(env, "run")).ExitCode == 0);

        // Updates, two of them at the same instant as the watermark; an insert; a soft and a hard delete.
        await source.ExecuteAsync("""
            UPDATE {s}.users SET city = 'Olinda' WHERE id = 1;
            UPDATE {s}.users SET city = 'Manaus', updated_at = '2025-01-03 10:00' WHERE id = 2;
            UPDATE {s}.users SET city = 'Belém', updated_at = '2025-01-03 10:00' WHERE id = 3;
            INSERT INTO {s}.users VALUES (4, '2025-02-01', '2025-02-01 10:00', 'Belém', NULL, NULL);
            UPDATE {s}.users SET deleted_at = '2025-02-02', updated_at = '2025-02-02 10:00' WHERE id = 1;
            INSERT INTO {s}.users VALUES (5, '2025-02-03', '2025-02-03 10:00', 'Natal', NULL, NULL);
            DELETE FROM {s}.users WHERE id = 5;
            UPDATE {s}.orders SET total = 25.00, updated_at = '2025-01-05 11:00' WHERE id = 11;
            """);
        var run = await pipeline.Engine(env, "run", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(await source.ContentAsync(UsersProjection), await pipeline.ContentAsync("{staging}.users"));
        Assert.Equal(await source.ContentAsync(OrdersProjection), await pipeline.ContentAsync("{staging}.orders"));
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT value::timestamptz = '2025-02-02 10:00+00' FROM {meta}.watermarks WHERE step = 'staging.users'"));

        await source.ExecuteAsync("DELETE FROM {s}.users WHERE id = 2");
        Assert.Equal(0, (await pipeline.Engine(env, "run")).ExitCode);
        Assert.Equal(await source.ContentAsync(UsersProjection), await pipeline.ContentAsync("{staging}.users"));
    }

    [Fact]
    public async Task Rows_at_the_watermark_are_copied_again_only_when_they_changed()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        const string watermark = "SELECT value::timestamptz = '2025-01-05 10:00+00' FROM {meta}.watermarks WHERE step = 'staging.users'";
        // A bulk update: three rows share the newest timestamp, which becomes the watermark.
        await source.ExecuteAsync("INSERT INTO {s}.users SELECT g, '2025-01-01', '2025-01-05 10:00', 'Recife', NULL, NULL FROM generate_series(1, 3) g");
        Assert.Equal(0, (await pipeline.Engine(env, "run", "--only", "staging.users")).ExitCode);
        Assert.True(await pipeline.ScalarAsync<bool>(watermark));

        // Nothing changed: nothing is copied.
        Assert.Equal(0, Rows(await pipeline.Engine(env, "run", "--only", "staging.users", "--json"), "staging.users"));

        // A row at the watermark changes without its timestamp moving, and a late row arrives at the same instant: both are copied.
        await source.ExecuteAsync("UPDATE {s}.users SET city = 'Olinda' WHERE id = 2; INSERT INTO {s}.users VALUES (4, '2025-01-01', '2025-01-05 10:00', 'Natal', NULL, NULL)");
        Assert.Equal(2, Rows(await pipeline.Engine(env, "run", "--only", "staging.users", "--json"), "staging.users"));
        Assert.Equal(await source.ContentAsync(UsersProjection), await pipeline.ContentAsync("{staging}.users"));

        // Every row is deleted: staging follows, and the watermark stays.
        await source.ExecuteAsync("DELETE FROM {s}.users");
        Assert.Equal(0, (await pipeline.Engine(env, "run", "--only", "staging.users")).ExitCode);
        Assert.Equal(await source.ContentAsync(UsersProjection), await pipeline.ContentAsync("{staging}.users"));
        Assert.True(await pipeline.ScalarAsync<bool>(watermark));
    }

    private static long Rows(CliOutcome run, string step)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(run.Out[run.Out.IndexOf('{')..]);
        return json.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == step).GetProperty("rows").GetInt64();
    }

    [Fact]
    public async Task A_table_without_a_cursor_is_reloaded_only_when_its_fingerprint_changes()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        const string tags = "SELECT id, user_id, tag FROM {s}.user_tags";
        const string loadedAt = "SELECT updated_at::text FROM {meta}.watermarks WHERE step = 'staging.user_tags'";
        await source.ExecuteAsync("INSERT INTO {s}.user_tags VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'a')");
        Assert.Equal(0, (await pipeline.Engine(env, "run", "--only", "staging.user_tags")).ExitCode);
        var firstLoad = await pipeline.ScalarAsync<string>(loadedAt);

        // Unchanged: the stored fingerprint matches and nothing is copied (the watermark is not rewritten).
        Assert.Equal(0, (await pipeline.Engine(env, "run", "--only", "staging.user_tags")).ExitCode);
        Assert.Equal(firstLoad, await pipeline.ScalarAsync<string>(loadedAt));

        // The same number of rows with one value changed, then a row deleted and another added.
        foreach (var change in new[] { "UPDATE {s}.user_tags SET tag = 'c' WHERE id = 2", "DELETE FROM {s}.user_tags WHERE id = 1; INSERT INTO {s}.user_tags VALUES (4, 3, 'a')" })
        {
            await source.ExecuteAsync(change);
            Assert.Equal(0, (await pipeline.Engine(env, "run", "--only", "staging.user_tags")).ExitCode);
            Assert.Equal(await source.ContentAsync(tags), await pipeline.ContentAsync("{staging}.user_tags"));
        }
        Assert.NotEqual(firstLoad, await pipeline.ScalarAsync<string>(loadedAt));
    }

    [Fact]
    public async Task Random_mutation_sequences_give_what_a_full_refresh_gives()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        // The full refresh goes to a second schema set (same source), compared table by table.
        var refreshSuffix = pipeline.Suffix + "fr";
        var refreshArgs = pipeline.Overrides.Select(o => o.StartsWith("sources.") ? o : o + "fr").SelectMany(o => new[] { "--var", o }).ToArray();
        var clock = 0;

        var mutation = Gen.Select(Gen.Int[0, 7], Gen.Int[1, 30], Gen.Int[0, 3], (kind, id, city) => (kind, id, city));
        await mutation.Array[1, 8].SampleAsync(async mutations =>
        {
            foreach (var (kind, id, city) in mutations)
            {
                var at = $"TIMESTAMPTZ '2025-03-01' + interval '{clock++ / 3} minutes'"; // several changes share a timestamp
                var cityText = city == 0 ? "NULL" : $"'city{city}'";
                await source.ExecuteAsync(kind switch
                {
                    0 => $"INSERT INTO {{s}}.users VALUES ({id}, {at}, {at}, {cityText}, NULL, NULL) ON CONFLICT (id) DO UPDATE SET city = {cityText}, updated_at = {at}, deleted_at = NULL",
                    1 => $"UPDATE {{s}}.users SET city = {cityText}, email = 'x@example.org', updated_at = {at} WHERE id = {id}",
                    2 => $"UPDATE {{s}}.users SET deleted_at = {at}, updated_at = {at} WHERE id = {id}",
                    3 => $"DELETE FROM {{s}}.users WHERE id = {id}",
                    4 => $"INSERT INTO {{s}}.orders VALUES ({id * 10 + city}, {id}, {at}, {id}.50) ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total + 1, updated_at = {at}",
                    5 => $"UPDATE {{s}}.orders SET total = total + 1, updated_at = {at} WHERE user_id = {id}",
                    6 => $"INSERT INTO {{s}}.user_tags VALUES ({id * 10 + city}, {id}, 'tag{city}') ON CONFLICT (id) DO UPDATE SET user_id = {id % 7 + 1}",
                    _ => $"DELETE FROM {{s}}.user_tags WHERE user_id = {id}",
                });
            }
            var incremental = await pipeline.Engine(env, "run");
            Assert.True(incremental.ExitCode == 0, incremental.ToString());
            var refresh = await EngineCli.RunAsync(["run", "--full-refresh", "--project", pipeline.YamlPath, "--as-of", "2025-12-01", .. refreshArgs], env);
            Assert.True(refresh.ExitCode == 0, refresh.ToString());
            foreach (var table in new[] { "staging.users", "staging.orders", "staging.user_tags", "model.city_users", "model.user_orders", "model.order_facts", "model.city_totals" })
            {
                var (schema, name) = (table.Split('.')[0], table.Split('.')[1]);
                Assert.Equal(await pipeline.ContentAsync($"{{{schema}}}.{name}"),
                    await pipeline.ContentAsync($"{pipeline.Schema(schema)[..^1]}fr\".{name}"));
            }
        }, iter: 50, threads: 1);
        await pipeline.ExecuteAsync(string.Join(";", new[] { "staging", "model", "meta" }.Select(k => $"DROP SCHEMA IF EXISTS {pipeline.Schema(k)[..^1]}fr\" CASCADE")));
        _ = refreshSuffix;
    }

    [Fact]
    public async Task A_failure_half_way_through_the_copy_leaves_staging_and_the_watermark_unchanged()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        await source.ExecuteAsync("INSERT INTO {s}.users SELECT g, '2025-01-01', '2025-01-01', 'Recife', NULL, NULL FROM generate_series(1, 1000) g");
        Assert.Equal(0, (await pipeline.Engine(env, "run")).ExitCode);
        var before = await pipeline.ContentAsync("{staging}.users");
        var watermark = await pipeline.ScalarAsync<string>("SELECT value FROM {meta}.watermarks WHERE step = 'staging.users'");

        // New rows, one of which the target cannot take (a CHECK added on staging), after many good ones.
        await source.ExecuteAsync("INSERT INTO {s}.users SELECT g, '2025-02-01', '2025-02-01', 'Natal', NULL, NULL FROM generate_series(1001, 50000) g");
        await source.ExecuteAsync("UPDATE {s}.users SET city = 'x' WHERE id = 40000");
        await pipeline.ExecuteAsync("ALTER TABLE {staging}.users ADD CONSTRAINT city_not_x CHECK (city <> 'x')");
        var run = await pipeline.Engine(env, "run", "--only", "staging.users");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("city_not_x", run.Error);
        Assert.Equal(before, await pipeline.ContentAsync("{staging}.users"));
        Assert.Equal(watermark, await pipeline.ScalarAsync<string>("SELECT value FROM {meta}.watermarks WHERE step = 'staging.users'"));
    }

    [Fact]
    public async Task Missing_source_table_or_column_and_an_unreachable_source_are_named()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        await source.ExecuteAsync("ALTER TABLE {s}.users DROP COLUMN city; DROP TABLE {s}.orders");

        var run = await pipeline.Engine(env, "run", "--only", "staging");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"step staging.users failed: source 'app': table \"{source.Schema}\".\"users\" has no column city", run.Error);
        Assert.Contains($"step staging.orders failed: source 'app': table \"{source.Schema}\".\"orders\" does not exist", run.Error);

        var unreachable = await pipeline.Engine(new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = "postgres://u:topsecret@127.0.0.1:1/db" }, "run", "--only", "staging.users");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("step staging.users failed: source 'app' is unreachable", unreachable.Error);
        Assert.Contains("hint: check EXTRACT_SOURCE_URL", unreachable.Error);
        Assert.DoesNotContain("topsecret", unreachable.Error + unreachable.Out);
    }

    [Fact]
    public async Task Same_database_source_falls_back_to_set_based_SQL()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        await pipeline.ExecuteAsync($"""
            CREATE SCHEMA {pipeline.Schema("source:app")};
            CREATE TABLE {pipeline.Schema("source:app")}.users (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, city text, email text, deleted_at timestamptz);
            CREATE TABLE {pipeline.Schema("source:app")}.orders (id bigint PRIMARY KEY, user_id bigint, updated_at timestamptz NOT NULL, total numeric(12, 2));
            CREATE TABLE {pipeline.Schema("source:app")}.user_tags (id bigint PRIMARY KEY, user_id bigint, tag text);
            INSERT INTO {pipeline.Schema("source:app")}.users VALUES (1, '2025-01-01', '2025-01-01', 'Recife', NULL, NULL);
            INSERT INTO {pipeline.Schema("source:app")}.user_tags VALUES (1, 1, 'a');
            """);
        var sameDatabase = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = null };

        var run = await pipeline.Engine(sameDatabase, "run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("(1,\"2025-01-01 00:00:00+00\",\"2025-01-01 00:00:00+00\",Recife,,f)", await pipeline.ContentAsync("{staging}.users"));
        Assert.Equal("(1,1,a)", await pipeline.ContentAsync("{staging}.user_tags"));
        await pipeline.ExecuteAsync($"UPDATE {pipeline.Schema("source:app")}.user_tags SET tag = 'b'");
        Assert.Equal(0, (await pipeline.Engine(sameDatabase, "run")).ExitCode);
        Assert.Equal("(1,1,b)", await pipeline.ContentAsync("{staging}.user_tags"));
    }
}
