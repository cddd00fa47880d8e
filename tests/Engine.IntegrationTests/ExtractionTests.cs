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

    /// <summary>
    /// SPEC §9.2, exact: random sequences of source changes, each followed by a normal run that must
    /// equal a full refresh into a second schema set, table by table. Besides honest changes (every
    /// change moves updated_at forward), users get dishonest ones: backdated, future or infinite,
    /// untouched and NULL cursors, a delete balanced by an insert with an old cursor in one
    /// transaction, and late commits (a transaction open while the run reads the source, committed
    /// after it; the next run must bring it). Orders keep honest cursors: model.user_orders is
    /// incremental by its own cursor and trusts theirs.
    /// </summary>
    [Fact]
    public async Task Random_mutation_sequences_give_what_a_full_refresh_gives()
    {
        await using var x = await ExtractCase.CreateAsync();
        await x.SourceAsync("ALTER TABLE {s}.users ALTER updated_at DROP NOT NULL");
        var clock = 0;
        var sequences = 0;

        var mutation = Gen.Select(Gen.Int[0, 13], Gen.Int[1, 30], Gen.Int[0, 3], (kind, id, city) => (kind, id, city));
        var late = Gen.Select(Gen.Int[0, 3], Gen.Int[1, 30], Gen.Int[0, 3], (kind, id, city) => (kind, id, city));
        await Gen.Select(mutation.Array[1, 8], late).SampleAsync(async sample =>
        {
            var (mutations, (lateKind, lateId, lateCity)) = sample;
            foreach (var (kind, id, city) in mutations)
            {
                var at = $"TIMESTAMPTZ '2025-03-01' + interval '{clock++ / 3} minutes'"; // several changes share a timestamp
                var cityText = city == 0 ? "NULL" : $"'city{city}'";
                await x.SourceAsync(kind switch
                {
                    0 => $"INSERT INTO {{s}}.users VALUES ({id}, {at}, {at}, {cityText}, NULL, NULL) ON CONFLICT (id) DO UPDATE SET city = {cityText}, updated_at = {at}, deleted_at = NULL",
                    1 => $"UPDATE {{s}}.users SET city = {cityText}, email = 'x@example.org', updated_at = {at} WHERE id = {id}",
                    2 => $"UPDATE {{s}}.users SET deleted_at = {at}, updated_at = {at} WHERE id = {id}",
                    3 => $"DELETE FROM {{s}}.users WHERE id = {id}",
                    4 => $"INSERT INTO {{s}}.orders VALUES ({id * 10 + city}, {id}, {at}, {id}.50) ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total + 1, updated_at = {at}",
                    5 => $"UPDATE {{s}}.orders SET total = total + 1, updated_at = {at} WHERE user_id = {id}",
                    6 => $"INSERT INTO {{s}}.user_tags VALUES ({id * 10 + city}, {id}, 'tag{city}') ON CONFLICT (id) DO UPDATE SET user_id = {id % 7 + 1}",
                    7 => $"DELETE FROM {{s}}.user_tags WHERE user_id = {id}",
                    8 => $"UPDATE {{s}}.users SET city = {cityText}, updated_at = updated_at - interval '{city + 1} days' WHERE id = {id}",
                    9 => $"UPDATE {{s}}.users SET city = {cityText}, updated_at = {(city % 2 == 0 ? "'infinity'" : "'2200-01-01'")} WHERE id = {id}",
                    10 => $"UPDATE {{s}}.users SET city = {cityText} WHERE id = {id}",
                    11 => $"UPDATE {{s}}.users SET city = {cityText}, updated_at = NULL WHERE id = {id}",
                    12 => $"INSERT INTO {{s}}.users VALUES ({id + 30}, '2020-01-01', NULL, {cityText}, NULL, NULL) ON CONFLICT (id) DO UPDATE SET city = {cityText}",
                    _ => $"BEGIN; DELETE FROM {{s}}.users WHERE id = {id}; " +
                         $"INSERT INTO {{s}}.users VALUES ({id + 60}, '2020-01-01', '2020-01-01', {cityText}, NULL, NULL) ON CONFLICT (id) DO UPDATE SET city = {cityText}; COMMIT",
                });
            }
            // A late transaction: open (with its change) while the normal run and the full refresh
            // read the source, so neither sees it; committed after, for the next sequence's run.
            await using var open = lateKind == 0 ? null : await x.OpenSourceAsync();
            if (open is not null)
                await x.SourceAsync(open, "BEGIN; " + lateKind switch
                {
                    1 => $"UPDATE {{s}}.users SET city = 'late{lateCity}', updated_at = now() WHERE id = {lateId}",
                    2 => $"INSERT INTO {{s}}.users VALUES ({lateId + 90}, now(), now(), 'late{lateCity}', NULL, NULL) ON CONFLICT (id) DO UPDATE SET city = 'late{lateCity}'",
                    _ => $"DELETE FROM {{s}}.users WHERE id = {lateId}",
                });
            // A row committed after the late transaction began, with a later cursor: the watermark passes the late row's.
            await x.SourceAsync($"UPDATE {{s}}.users SET updated_at = clock_timestamp() WHERE id = (SELECT min(id) FROM {{s}}.users WHERE updated_at < now() AND id <> {lateId})");
            await x.RunOkAsync();
            await x.AssertEqualsFullRefreshAsync($"sequence {++sequences}");
            if (open is not null) await x.SourceAsync(open, "COMMIT");
        }, iter: 100, threads: 1);

        await x.RunOkAsync();
        await x.AssertEqualsFullRefreshAsync("after the last late commit");
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
