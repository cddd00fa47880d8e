namespace Lacrei.Engine.Tests.BadInput;

/// <summary>
/// The bad-input catalogue (issues 8 and 20), cases that need a database: migrations, sources that
/// changed under the pipeline, seeds, data that breaks a step. Each asserts the message, the
/// location, the exit code, and that no stack trace is printed.
/// </summary>
[Trait("Category", "BadInput")]
public sealed class DatabaseBadInputTests
{
    private static void AssertClean(CliOutcome run, int exit, string expected)
    {
        Assert.True(exit == run.ExitCode, $"expected exit {exit}\n{run}");
        Assert.True(run.Error.Contains(expected, StringComparison.Ordinal), $"expected in stderr: {expected}\n{run}");
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("internal error", run.Error);
    }

    private static async Task<IsolatedPipeline> BuiltShopAsync()
    {
        var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var first = await pipeline.Engine("run");
        Assert.True(first.ExitCode == 0, first.ToString());
        return pipeline;
    }

    [Fact]
    public async Task A_migration_edited_after_it_ran_is_refused()
    {
        await using var pipeline = await BuiltShopAsync();
        pipeline.EditFile("migrations/0001_source.sql", sql => sql + "-- edited\n");

        var run = await pipeline.Engine("run");

        AssertClean(run, 2, "migrations/0001_source.sql(32,1): error: migration migrations/0001_source.sql was edited after it was applied (rendered line 32: was \"\", now \"-- edited\")");
        Assert.Contains("hint: migrations run once; put the change in a new migration", run.Error);
    }

    [Fact]
    public async Task A_failing_migration_names_the_file_line_and_the_SQL_error()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        File.WriteAllText(Path.Combine(pipeline.Dir, "migrations", "0002_bad.sql"), "SELECT 1;\nSELECT * FROM nope_table;\n");

        var run = await pipeline.Engine("run");

        AssertClean(run, 2, "migrations/0002_bad.sql(2,1): error: migration migrations/0002_bad.sql failed: relation \"nope_table\" does not exist");
    }

    [Fact]
    public async Task A_source_table_that_disappeared_fails_the_step_that_reads_it()
    {
        await using var pipeline = await BuiltShopAsync();
        await pipeline.ExecuteAsync("DROP TABLE {source:shop}.orders");

        var run = await pipeline.Engine("run");

        AssertClean(run, 1, $"staging/orders.sql(8,6): error: step staging.orders failed: relation \"{pipeline.Schema("source:shop").Trim('"')}.orders\" does not exist");
        Assert.Contains("  rendered: ", run.Error);
        Assert.Contains("target/rendered/staging/orders.sql(11,6)", run.Error);
        Assert.Contains("skipped: upstream step staging.orders failed", run.Out);
    }

    [Fact]
    public async Task A_source_column_that_disappeared_fails_the_step_naming_the_column()
    {
        await using var pipeline = await BuiltShopAsync();
        await pipeline.ExecuteAsync("ALTER TABLE {source:shop}.customers DROP COLUMN region");

        var run = await pipeline.Engine("run");

        AssertClean(run, 1, "staging/customers.sql(4,16): error: step staging.customers failed: column c.region does not exist");
        Assert.Contains(" 4 |     upper(trim(c.region)) AS region,", run.Error);
        Assert.Contains("target/rendered/staging/customers.sql(7,16)", run.Error);
    }

    [Fact]
    public async Task A_source_column_whose_type_changed_fails_the_step_naming_the_column_and_both_types()
    {
        await using var pipeline = await BuiltShopAsync();
        await pipeline.ExecuteAsync("ALTER TABLE {source:shop}.orders ALTER COLUMN total TYPE text");

        var run = await pipeline.Engine("run");

        AssertClean(run, 1, $"target/rendered/staging/orders.sql({CallLine(pipeline, "staging/orders")},1): error: step staging.orders failed: "
            + $"the columns of the SELECT of staging.orders no longer match table {pipeline.Schema("staging").Trim('"')}.orders (type changed: total (numeric(12,2) → text))");
        Assert.Contains("hint: set on_schema_change: append_new_columns or sync_all_columns on the step, or add a migration that alters the table", run.Error);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_a_clear_error_that_never_echoes_the_password()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var settings = Database.ConnectionSettings.Resolve(null);
        const string secret = "Secret-Pw-4711";
        var url = $"postgres://{settings.Builder.Username}:{secret}@{settings.Builder.Host}:{settings.Builder.Port}/nodb{pipeline.Suffix}";

        var run = await EngineCli.RunAsync(["run", "--project", pipeline.YamlPath, "--connection", url]);

        AssertClean(run, 2, $"error: cannot connect to {settings.Builder.Username}@{settings.Builder.Host}:{settings.Builder.Port}/nodb{pipeline.Suffix}: the database does not exist");
        Assert.DoesNotContain(secret, run.Out + run.Error);
    }

    [Fact]
    public async Task A_seed_header_that_is_not_a_SQL_name_is_refused_at_its_location()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("seeds/order_statuses.csv", csv => csv.Replace("raw_status,", "raw status,"));

        var run = await pipeline.Engine("run");

        AssertClean(run, 2, "seeds/order_statuses.csv(1,1): error: seed header column 'raw status' is not a valid SQL name");
        Assert.Contains("hint: the first row of a seed names its columns", run.Error);
    }

    [Fact]
    public async Task A_seed_header_that_repeats_a_column_is_refused()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("seeds/order_statuses.csv", csv => csv.Replace("raw_status,status", "raw_status,raw_status"));

        var run = await pipeline.Engine("run");

        // Reported by PostgreSQL, without the file's location (see the report of this catalogue).
        AssertClean(run, 2, "column \"raw_status\" specified more than once");
    }

    [Fact]
    public async Task A_seed_row_with_an_extra_column_is_refused_at_its_line()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("seeds/order_statuses.csv", csv => csv.Replace("completed,completed", "completed,completed,x"));

        var run = await pipeline.Engine("run");

        AssertClean(run, 2, "seeds/order_statuses.csv(2,1): error: seed order_statuses: extra data after last expected column");
    }

    [Fact]
    public async Task A_seed_that_is_not_UTF8_is_refused_at_its_line_and_byte()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        // "São Paulo" saved as Latin-1: 0xE3 for 'ã'.
        File.WriteAllBytes(Path.Combine(pipeline.Dir, "seeds", "order_statuses.csv"),
            [.. "raw_status,status\ncompleted,completed\n"u8, (byte)'S', 0xE3, .. "o Paulo,pending\n"u8]);

        var run = await pipeline.Engine("seed");

        AssertClean(run, 2, "seeds/order_statuses.csv(3,2): error: seed order_statuses is not UTF-8: line 3 has byte 0xE3 at byte 2 of the line (byte 40 of the file)");
        Assert.Contains("hint: save it as UTF-8, e.g. iconv -f latin1 -t utf-8", run.Error);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = '" + pipeline.Schema("seeds").Trim('"') + "' AND tablename = 'order_statuses'"));
    }

    [Fact]
    public async Task A_seed_with_trailing_blank_lines_is_loaded()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("seeds/order_statuses.csv", csv => csv.TrimEnd() + "\r\n\n  \n");

        var run = await pipeline.Engine("seed");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(4L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {seeds}.order_statuses"));
    }

    [Fact]
    public async Task An_empty_seed_file_is_refused_as_empty()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("seeds/order_statuses.csv", _ => "\n");

        var run = await pipeline.Engine("seed");

        AssertClean(run, 2, "seeds/order_statuses.csv(1,1): error: seed order_statuses: the file is empty");
        Assert.Contains("hint: the first row names the columns (e.g. code,label) and each row after it is a row of the table", run.Error);
    }

    [Fact]
    public async Task Two_long_step_names_that_PostgreSQL_cuts_to_the_same_name_are_both_named()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var stem = new string('a', 62);
        // Both steps build their tables at once; each test holds its transaction open a second, so the two always overlap.
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("  - name: mart\n    steps:\n", $$"""
              - name: mart
                steps:
                  - name: {{stem}}1
                    sql: mart/long.sql
                    materialize: replace
                    tests:
                      - sql: { query: "SELECT 1 FROM pg_sleep(1) WHERE random() > 2" }
                  - name: {{stem}}2
                    sql: mart/long.sql
                    materialize: replace
                    tests:
                      - sql: { query: "SELECT 1 FROM pg_sleep(1) WHERE random() > 2" }

            """));
        File.WriteAllText(Path.Combine(pipeline.Dir, "mart", "long.sql"), "SELECT 1 AS id\n");

        var run = await pipeline.Engine("run", "--only", $"mart.{stem}1,mart.{stem}2", "--threads", "2");

        // validate refuses the pair before anything reaches the server (SPEC §6), naming both steps.
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"error: step 'mart.{stem}2': the array type of table {stem}2 would be named _{stem}, as step 'mart.{stem}1''s array type", run.Error);
        Assert.Contains("hint: PostgreSQL cuts names at 63 bytes", run.Error);
        Assert.DoesNotContain("internal error", run.Error);
    }

    [Fact]
    public async Task A_run_report_that_cannot_be_written_is_a_clear_error()
    {
        await using var pipeline = await BuiltShopAsync();

        var report = await pipeline.Engine("runs", "--report", "last", "--out", "/proc/lacrei-report.html");

        AssertClean(report, 2, "error: runs --out /proc/lacrei-report.html: cannot write the file: ");
        Assert.Contains("hint: --out must be a file in a folder you can write to", report.Error);
    }

    [Fact]
    public async Task Duplicate_keys_in_an_upsert_SELECT_fail_the_step()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("staging/customers.sql", sql => sql.Replace("}} AS c", "}} AS c CROSS JOIN generate_series(1, 2)"));

        var run = await pipeline.Engine("run");

        // A new table is bulk-loaded, then given its key (0015_bulk_writes.sql): the key fails, naming no value.
        AssertClean(run, 1, $"target/rendered/staging/customers.sql({CallLine(pipeline, "staging/customers")},1): error: step staging.customers failed: the rows for ");
        Assert.Contains(".customers have a key (customer_id) more than once", run.Error);
        Assert.DoesNotContain("is duplicated", run.Error);
        Assert.Contains("skipped: upstream step staging.customers failed", run.Out);
    }

    [Fact]
    public async Task Far_future_dates_in_the_source_are_carried_through()
    {
        await using var pipeline = await BuiltShopAsync();
        await pipeline.ExecuteAsync("INSERT INTO {source:shop}.orders VALUES (99, 1, 'completed', 5, '9999-12-31 10:00+00')");

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("internal error", run.Error);
        Assert.Equal(1L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {mart}.daily_revenue WHERE order_date = '9999-12-31'"));
    }

    [Fact]
    public async Task A_data_test_naming_an_unknown_column_fails_the_step_at_the_test()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("not_null: [customer_id, created_at]", "not_null: [customer_id, created_att]"));

        var run = await pipeline.Engine("run");

        AssertClean(run, 1, "pipeline.yaml(33,13): error: step staging.customers failed: 1 data test(s) failed: not_null(customer_id, created_att) (the test query failed: column \"created_att\" does not exist)");
        Assert.Contains("hint: the step was rolled back: its previous content stays published", run.Error);
    }

    [Fact]
    public async Task Source_rows_with_NULL_keys_fail_the_extract_step_naming_the_column_and_no_value_of_the_row()
    {
        var fixture = Repo.Path("tests", "fixtures", "extract");
        await using var pipeline = new IsolatedPipeline(fixture);
        await using var source = await ExtractSource.CreateAsync(pipeline.Suffix, pipeline.Schema("source:app").Trim('"'));
        var env = new Dictionary<string, string?> { ["EXTRACT_SOURCE_URL"] = source.Url };
        await source.ExecuteAsync("""
            ALTER TABLE {s}.users DROP CONSTRAINT users_pkey;
            ALTER TABLE {s}.users ALTER COLUMN id DROP NOT NULL;
            INSERT INTO {s}.users VALUES (1, '2025-01-01', '2025-01-01 10:00', 'Recife', NULL, NULL);
            """);
        Assert.Equal(0, (await pipeline.Engine(env, "run")).ExitCode);
        await source.ExecuteAsync("INSERT INTO {s}.users VALUES (NULL, '2025-01-02', '2025-01-02 10:00', 'Natal', NULL, NULL)");

        var run = await pipeline.Engine(env, "run");

        Assert.Matches(@"target/rendered/staging/users\.sql\(\d+,1\): error: step staging\.users failed", run.Error);
        // SPEC §9.6: the row's values are not shown (the server's "Failing row contains (null, …, Natal, …)").
        AssertClean(run, 1, "error: step staging.users failed: null value in column \"id\" of relation \"users\" violates not-null constraint (Failing row contains (…).)");
        Assert.DoesNotContain("Natal", run.Out + run.Error);
        // The step is rolled back: staging keeps what it had.
        Assert.Equal(await source.ContentAsync("SELECT id, created_at, updated_at, city, deleted_at, false FROM {s}.users WHERE id IS NOT NULL"),
            await pipeline.ContentAsync("{staging}.users"));
    }

    [Fact]
    public async Task Unparseable_prices_in_the_Lacrei_source_become_NULL_and_the_run_succeeds()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await LacreiInsights.LacreiFixture.CreateSourceAsync(p);
        await LacreiInsights.LacreiFixture.SqlAsync(p, LacreiInsights.LacreiFixture.Lookups);
        await LacreiInsights.LacreiFixture.SqlAsync(p, """
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty) VALUES (1, '2025-01-01', '2025-01-01', 'x');
            INSERT INTO {s}.lacreisaude_clinic (id, created_at, updated_at, professional_id, consult_price, online_clinic_consult_price) VALUES
                (1, '2025-01-01', '2025-01-01', 1, 'R$ ,', 'cento e vinte');
            """);

        var run = await LacreiInsights.LacreiFixture.RunAsync(p);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("internal error", run.Error);
        Assert.Equal(2L, await p.ScalarAsync<long>(
            "SELECT count(*) FILTER (WHERE consult_price IS NULL) + count(*) FILTER (WHERE online_clinic_consult_price IS NULL) FROM {staging2}.lacreisaude_clinic"));
    }

    /// <summary>The line of the step's CALL of lp_materialize in its rendered file: errors of the engine's procedure point there.</summary>
    private static int CallLine(IsolatedPipeline pipeline, string step) =>
        Array.FindIndex(File.ReadAllLines(Path.Combine(pipeline.Dir, "target", "rendered", step + ".sql")), l => l.StartsWith("CALL ", StringComparison.Ordinal)) + 1;
}
