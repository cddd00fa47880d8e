namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// docs/authoring.md "Snapshots": <c>materialize: snapshot</c> keeps every version of each key's
/// row with valid_from/valid_to (dbt's SCD2 semantics), in the step's transaction; nothing is
/// written when nothing changed, and --full-refresh never drops history.
/// </summary>
public sealed class SnapshotTests
{
    /// <summary>A source table of professionals, beside the shop fixture's.</summary>
    private const string Professionals = """
        CREATE TABLE {{ source "shop" "professionals" }} (
            id          bigint PRIMARY KEY,
            specialty   text,
            state       text,
            phone       text,
            updated_at  timestamptz
        );
        INSERT INTO {{ source "shop" "professionals" }} (id, specialty, state, phone, updated_at) VALUES
            (1, 'psicologia', 'SP', '11-1111', '2025-01-01 00:00Z'),
            (2, 'nutricao', 'RJ', '21-2222', '2025-01-01 00:00Z');
        """;

    private const string History = """
        SELECT p.id AS professional_id, p.specialty, p.state, p.phone, p.updated_at
        FROM {{ source "shop" "professionals" }} AS p
        """;

    private const string Step = "mart.professional_history";

    private static IsolatedPipeline WithSnapshot(string strategy = "check_cols: [specialty, state]", string extra = "", string sql = History)
    {
        var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        File.WriteAllText(Path.Combine(pipeline.Dir, "migrations", "0002_professionals.sql"), Professionals);
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "professional_history.sql"), sql);
        File.AppendAllText(pipeline.YamlPath, $"""

                  - name: professional_history
                    sql: mart/professional_history.sql
                    materialize: snapshot
                    key: [professional_id]
                    {strategy}
                    {extra}

            """);
        return pipeline;
    }

    private static async Task RunAsync(IsolatedPipeline pipeline, params string[] extra)
    {
        var run = await pipeline.Engine(["run", "--only", Step, .. extra]);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    /// <summary>Each version as key|specialty|state|current, in key and valid_from order.</summary>
    private static Task<string> VersionsAsync(IsolatedPipeline pipeline) => pipeline.ScalarAsync<string>(
        "SELECT coalesce(string_agg(format('%s|%s|%s|%s', professional_id, specialty, state, CASE WHEN valid_to IS NULL THEN 'current' ELSE 'closed' END), "
        + "'; ' ORDER BY professional_id, valid_from), '') FROM {mart}.professional_history");

    /// <summary>Versions that do not follow on from the key's previous one (or overlap it, when a key may be away), end before they start, or lie in the future.</summary>
    private static Task<long> BrokenHistoryAsync(IsolatedPipeline pipeline, bool gaps = false) => pipeline.ScalarAsync<long>($"""
        SELECT count(*) FROM (
            SELECT valid_from, valid_to, lead(valid_from) OVER (PARTITION BY professional_id ORDER BY valid_from) AS next
            FROM {"{mart}"}.professional_history) AS v
        WHERE (v.next IS NOT NULL AND (v.valid_to IS NULL OR v.valid_to {(gaps ? ">" : "<>")} v.next)) OR v.valid_to <= v.valid_from
           OR v.valid_from > now() OR v.valid_to > now()
        """);

    [Fact]
    public async Task Three_changes_of_the_checked_columns_make_four_contiguous_versions_and_nothing_else_writes_a_row()
    {
        await using var pipeline = WithSnapshot();
        await RunAsync(pipeline);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET specialty = 'psiquiatria' WHERE id = 1");
        await RunAsync(pipeline);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET state = 'MG' WHERE id = 1");
        await RunAsync(pipeline);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET specialty = 'psicologia' WHERE id = 1");
        await RunAsync(pipeline);

        Assert.Equal("1|psicologia|SP|closed; 1|psiquiatria|SP|closed; 1|psiquiatria|MG|closed; 1|psicologia|MG|current; 2|nutricao|RJ|current",
            await VersionsAsync(pipeline));
        Assert.Equal(0L, await BrokenHistoryAsync(pipeline));
        Assert.Equal(2L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.professional_history WHERE valid_to IS NULL"));

        // An unchanged source, then a change of a column that is not checked: no row is written.
        var before = await pipeline.ContentAsync("{mart}.professional_history");
        var unchanged = await pipeline.Engine("run", "--only", Step);
        Assert.Matches(@"success\s+mart\.professional_history\s+0 rows", unchanged.Out);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET phone = '11-9999' WHERE id = 1");
        var phone = await pipeline.Engine("run", "--only", Step);
        Assert.Matches(@"success\s+mart\.professional_history\s+0 rows", phone.Out);
        Assert.Equal(before, await pipeline.ContentAsync("{mart}.professional_history"));
    }

    [Fact]
    public async Task The_table_has_the_selects_columns_then_valid_from_and_valid_to_with_one_current_row_per_key()
    {
        await using var pipeline = WithSnapshot();
        await RunAsync(pipeline);

        Assert.Equal("professional_id bigint, specialty text, state text, phone text, updated_at timestamp with time zone, valid_from timestamp with time zone, valid_to timestamp with time zone",
            await pipeline.ScalarAsync<string>("SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute " +
                                               "WHERE attrelid = '{mart}.professional_history'::regclass AND attnum > 0 AND NOT attisdropped"));
        Assert.Equal("PRIMARY KEY (professional_id, valid_from)", await pipeline.ScalarAsync<string>(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '{mart}.professional_history'::regclass AND contype = 'p'"));
        var current = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => pipeline.ExecuteAsync(
            "INSERT INTO {mart}.professional_history (professional_id, valid_from) VALUES (1, now() - interval '1 year')"));
        Assert.Equal("23505", current.SqlState);
    }

    [Fact]
    public async Task With_updated_at_a_version_starts_at_its_timestamp_unless_that_is_infinite_or_future_and_an_older_timestamp_is_not_seen()
    {
        await using var pipeline = WithSnapshot("updated_at: updated_at");
        await RunAsync(pipeline);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET specialty = 'psiquiatria', updated_at = '2025-02-01 00:00Z' WHERE id = 1;" +
                                    "UPDATE {source:shop}.professionals SET state = 'SP', updated_at = 'infinity' WHERE id = 2");
        await RunAsync(pipeline);

        Assert.Equal("1|psicologia|SP|closed; 1|psiquiatria|SP|current; 2|nutricao|RJ|closed; 2|nutricao|SP|current", await VersionsAsync(pipeline));
        Assert.Equal("2025-01-01 00:00:00+00 → 2025-02-01 00:00:00+00", await pipeline.ScalarAsync<string>(
            "SELECT to_char(valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00') || ' → ' || to_char(valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00') " +
            "FROM {mart}.professional_history WHERE professional_id = 1 AND valid_to IS NOT NULL"));
        // The infinite timestamp counts as the run's time: the history stays ordered and in the past.
        Assert.True(await pipeline.ScalarAsync<bool>("SELECT valid_from > '2025-12-01' AND valid_from <= now() FROM {mart}.professional_history WHERE professional_id = 2 AND valid_to IS NULL"));

        // An update that backdates its timestamp is not seen (dbt: use check_cols for such sources)…
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET state = 'BA', updated_at = '2025-01-15 00:00Z' WHERE id = 1");
        await RunAsync(pipeline);
        Assert.Equal("1|psicologia|SP|closed; 1|psiquiatria|SP|current; 2|nutricao|RJ|closed; 2|nutricao|SP|current", await VersionsAsync(pipeline));
        // …and a future one starts its version at the run's time, not in the future.
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET state = 'PE', updated_at = '2999-01-01 00:00Z' WHERE id = 1");
        await RunAsync(pipeline);
        Assert.Equal("1|psicologia|SP|closed; 1|psiquiatria|SP|closed; 1|psiquiatria|PE|current; 2|nutricao|RJ|closed; 2|nutricao|SP|current", await VersionsAsync(pipeline));
        Assert.Equal(0L, await BrokenHistoryAsync(pipeline));
    }

    private const string Key2History = "2|nutricao|RJ|closed; 2|psiquiatria|RJ|closed; ";

    [Theory]
    [InlineData("invalidate", Key2History + "2|nutricao|RJ|closed", Key2History + "2|nutricao|RJ|closed; 2|nutricao|RJ|current")]
    [InlineData("ignore", Key2History + "2|nutricao|RJ|current", Key2History + "2|nutricao|RJ|current")]
    [InlineData("delete", "", "2|nutricao|RJ|current")]
    public async Task A_key_the_select_no_longer_returns_follows_hard_deletes_and_one_that_comes_back_is_current_again(string mode, string gone, string back)
    {
        await using var pipeline = WithSnapshot(extra: mode == "invalidate" ? "" : $"hard_deletes: {mode}");
        await RunAsync(pipeline);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET specialty = 'psiquiatria' WHERE id = 2");
        await RunAsync(pipeline);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET specialty = 'nutricao' WHERE id = 2");
        await RunAsync(pipeline);

        await pipeline.ExecuteAsync("DELETE FROM {source:shop}.professionals WHERE id = 2");
        await RunAsync(pipeline);
        Assert.Equal(("1|psicologia|SP|current; " + gone).TrimEnd(' ', ';'), await VersionsAsync(pipeline));

        await pipeline.ExecuteAsync("INSERT INTO {source:shop}.professionals VALUES (2, 'nutricao', 'RJ', '21-2222', '2025-01-01 00:00Z')");
        await RunAsync(pipeline);
        Assert.Equal("1|psicologia|SP|current; " + back, await VersionsAsync(pipeline));
        // A key that was away has a gap in its history, never an overlap.
        Assert.Equal(0L, await BrokenHistoryAsync(pipeline, gaps: mode == "invalidate"));
    }

    [Fact]
    public async Task A_full_refresh_runs_a_snapshot_as_a_normal_run_and_keeps_its_history()
    {
        await using var pipeline = WithSnapshot();
        await RunAsync(pipeline);
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET state = 'MG' WHERE id = 1");
        await RunAsync(pipeline);
        var before = await pipeline.ContentAsync("{mart}.professional_history");

        await RunAsync(pipeline, "--full-refresh");
        Assert.Equal(before, await pipeline.ContentAsync("{mart}.professional_history"));

        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET state = 'BA' WHERE id = 1");
        await RunAsync(pipeline, "--full-refresh");
        Assert.Equal("1|psicologia|SP|closed; 1|psicologia|MG|closed; 1|psicologia|BA|current; 2|nutricao|RJ|current", await VersionsAsync(pipeline));
    }

    [Fact]
    public async Task A_select_that_returns_a_key_twice_fails_naming_the_table_and_key_columns_but_no_value()
    {
        await using var pipeline = WithSnapshot(sql: History + "\nUNION ALL\nSELECT p.id, 'dermatologia', p.state, p.phone, p.updated_at FROM {{ source \"shop\" \"professionals\" }} AS p WHERE p.id = 2");

        var run = await pipeline.Engine("run", "--only", Step);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"the rows for {pipeline.Sql("{mart}").Trim('"')}.professional_history have a key (professional_id) more than once", run.Error);
        foreach (var value in new[] { "dermatologia", "nutricao", "21-2222", "RJ" }) Assert.DoesNotContain(value, run.ToString());
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE oid = to_regclass('{mart}.professional_history')"));
    }

    [Fact]
    public async Task A_select_that_returns_valid_from_fails_naming_the_column()
    {
        await using var pipeline = WithSnapshot(sql: History.Replace("p.updated_at", "p.updated_at AS valid_from"));

        var run = await pipeline.Engine("run", "--only", Step);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the SELECT of mart.professional_history returns valid_from, which the snapshot adds itself", run.Error);
    }

    [Fact]
    public async Task An_updated_at_column_that_is_not_a_timestamp_fails_naming_it_and_one_of_any_precision_works()
    {
        await using var pipeline = WithSnapshot("updated_at: changed", sql: History.Replace("p.updated_at", "p.updated_at::timestamp(3) with time zone AS updated_at, p.phone AS changed"));

        var text = await pipeline.Engine("run", "--only", Step);
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("the updated_at column of snapshot mart.professional_history must be a timestamp: changed is text", text.Error);

        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("updated_at: changed", "updated_at: updated_at"));
        await RunAsync(pipeline);
        Assert.Equal("1|psicologia|SP|current; 2|nutricao|RJ|current", await VersionsAsync(pipeline));
    }

    [Fact]
    public async Task A_new_column_is_added_empty_in_older_versions_and_a_removed_or_retyped_one_fails_naming_it()
    {
        await using var pipeline = WithSnapshot();
        await RunAsync(pipeline);
        pipeline.EditFile("mart/professional_history.sql", sql => sql.Replace("p.updated_at", "p.updated_at, upper(p.state) AS region"));
        await pipeline.ExecuteAsync("UPDATE {source:shop}.professionals SET state = 'mg' WHERE id = 1");
        await RunAsync(pipeline);

        Assert.Equal("1:SP:; 1:mg:MG; 2:RJ:", await pipeline.ScalarAsync<string>(
            "SELECT string_agg(format('%s:%s:%s', professional_id, state, region), '; ' ORDER BY professional_id, valid_from) FROM {mart}.professional_history"));

        pipeline.EditFile("mart/professional_history.sql", sql => sql.Replace("p.phone, ", ""));
        var removed = await pipeline.Engine("run", "--only", Step);
        Assert.Equal(1, removed.ExitCode);
        Assert.Contains("no longer match table", removed.Error);
        Assert.Contains("missing from the SELECT: phone", removed.Error);

        pipeline.EditFile("mart/professional_history.sql", sql => sql.Replace("p.state,", "p.phone, length(p.state) AS state,"));
        var retyped = await pipeline.Engine("run", "--only", Step);
        Assert.Equal(1, retyped.ExitCode);
        Assert.Contains("type changed: state (text → integer)", retyped.Error);
        Assert.Equal(3L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.professional_history"));
    }

    [Fact]
    public async Task A_snapshot_of_a_step_runs_when_that_step_wrote_rows_and_is_skipped_when_it_did_not()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "region_history.sql"), "SELECT c.customer_id, c.region FROM {{ ref \"staging.customers\" }} AS c");
        File.AppendAllText(pipeline.YamlPath, "\n      - name: region_history\n        sql: mart/region_history.sql\n        materialize: snapshot\n        key: [customer_id]\n        check_cols: all\n");
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging.customers,mart.region_history")).ExitCode);

        await pipeline.ExecuteAsync("UPDATE {source:shop}.customers SET region = 'MG' WHERE id = 2");
        var changed = await pipeline.Engine("run", "--only", "staging.customers,mart.region_history");
        Assert.Matches(@"success\s+mart\.region_history\s+2 rows", changed.Out);
        var unchanged = await pipeline.Engine("run", "--only", "staging.customers,mart.region_history");
        Assert.Matches(@"unchanged\s+mart\.region_history", unchanged.Out);

        Assert.Equal("RJ, MG", await pipeline.ScalarAsync<string>("SELECT string_agg(region, ', ' ORDER BY valid_from) FROM {mart}.region_history WHERE customer_id = 2"));
    }

    [Fact]
    public async Task Every_snapshot_of_a_run_starts_its_versions_at_the_same_time_the_runs_time()
    {
        await using var pipeline = WithSnapshot();
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "region_history.sql"), "SELECT c.customer_id, c.region FROM {{ ref \"staging.customers\" }} AS c");
        File.AppendAllText(pipeline.YamlPath, "      - name: region_history\n        sql: mart/region_history.sql\n        materialize: snapshot\n        key: [customer_id]\n        check_cols: all\n");

        var run = await pipeline.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());

        Assert.Equal(1L, await pipeline.ScalarAsync<long>(
            "SELECT count(DISTINCT valid_from) FROM (SELECT valid_from FROM {mart}.professional_history UNION ALL SELECT valid_from FROM {mart}.region_history) AS v"));
        Assert.True(await pipeline.ScalarAsync<bool>(
            "SELECT (SELECT min(valid_from) FROM {mart}.region_history) BETWEEN (SELECT started_at FROM {meta}.runs) - interval '5 seconds' AND (SELECT finished_at FROM {meta}.runs)"));
    }

    [Fact]
    public async Task A_step_cannot_read_a_snapshots_changes()
    {
        await using var pipeline = WithSnapshot();
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "by_state.sql"), "SELECT h.professional_id, h.state FROM {{ ref \"mart.professional_history\" }} AS h WHERE h.valid_to IS NULL");
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "by_state_scope.sql"), "SELECT c.professional_id FROM {{ changes \"mart.professional_history\" }} AS c");
        File.AppendAllText(pipeline.YamlPath, "      - name: by_state\n        sql: mart/by_state.sql\n        materialize: incremental\n        key: [professional_id]\n        scope: mart/by_state_scope.sql\n");

        var validate = await pipeline.Engine("validate");

        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("step 'mart.professional_history' is a snapshot: its changes are its history, not a change log", validate.Error);
    }
}
