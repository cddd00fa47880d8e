namespace Lacrei.Engine.Tests;

/// <summary>
/// SPEC §9.2, exact extraction: whatever the source's <c>updated_at</c> says, a normal run after
/// committed source changes gives what a full refresh gives (staging and every model table, compared
/// with a <c>--full-refresh</c> into a second schema set). The source is a second database, or, where
/// a test takes <c>sameDatabase</c>, the target's own (read in one pass when it is a plain table).
/// </summary>
public sealed class ExactExtractionTests
{
    /// <summary>Three users at honest, increasing times (the watermark ends at user 3's), and two orders.</summary>
    private const string Start = """
        INSERT INTO {s}.users VALUES
          (1, '2025-01-01', '2025-01-01 10:00', 'Recife', 'a@example.org', NULL),
          (2, '2025-01-02', '2025-01-02 10:00', 'Natal', NULL, NULL),
          (3, '2025-01-03', '2025-01-03 10:00', 'Olinda', NULL, NULL);
        INSERT INTO {s}.orders VALUES (10, 1, '2025-01-05 10:00', 50.00), (11, 2, '2025-01-05 11:00', 20.00);
        INSERT INTO {s}.user_tags VALUES (1, 1, 'a'), (2, 2, 'b');
        """;

    [Theory]
    [InlineData("infinity")]
    [InlineData("2031-06-01 12:00+00")]
    [InlineData("2200-01-01 00:00+00")]
    public async Task A_cursor_in_the_future_neither_hides_later_changes_nor_moves_the_watermark_past_the_source_clock(string future)
    {
        await using var x = await ExtractCase.CreateAsync();
        await x.SourceAsync(Start + $"INSERT INTO {{s}}.users VALUES (4, '2025-01-04', '{future}', 'Manaus', NULL, NULL);");
        await x.RunOkAsync();
        Assert.True(await x.WatermarkWithinClockAsync("staging.users"));

        await x.SourceAsync("""
            UPDATE {s}.users SET city = 'Caruaru', updated_at = now() WHERE id = 1;
            INSERT INTO {s}.users VALUES (5, now(), now(), 'Natal', NULL, NULL);
            INSERT INTO {s}.orders VALUES (12, 5, now(), 7.50);
            """);
        var run = await x.RunOkAsync();

        Assert.Equal("1 source row has a cursor (updated_at) in the future, infinite or NULL: it is extracted, but its cursor says nothing of when it changed",
            ExtractCase.Warning(run, "staging.users"));
        await x.AssertEqualsFullRefreshAsync($"after a row with updated_at {future}");
        Assert.True(await x.WatermarkWithinClockAsync("staging.users"));
        Assert.True(await x.WatermarkWithinClockAsync("staging.users", secondSet: true), "--full-refresh put the watermark past the source's clock");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_update_that_leaves_the_cursor_as_it_was_arrives(bool sameDatabase)
    {
        await using var x = await ExtractCase.CreateAsync(sameDatabase);
        await x.SourceAsync(Start);
        await x.RunOkAsync();

        // A fix by hand in the application database: updated_at untouched.
        await x.SourceAsync("UPDATE {s}.users SET city = 'Caruaru' WHERE id = 1; UPDATE {s}.orders SET total = 99.00 WHERE id = 10");
        await x.RunOkAsync();

        // model.user_orders is incremental by its own cursor (orders at or after its watermark):
        // a transform step that trusts a cursor sees only rows whose cursor moved (docs/authoring.md).
        await x.AssertEqualsFullRefreshAsync("after updates that left updated_at as it was", except: "model.user_orders");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_update_that_moves_the_cursor_backwards_arrives(bool sameDatabase)
    {
        await using var x = await ExtractCase.CreateAsync(sameDatabase);
        await x.SourceAsync(Start);
        await x.RunOkAsync();

        // User 3 is at the watermark; its new cursor is years before it.
        await x.SourceAsync("UPDATE {s}.users SET city = 'Caruaru', updated_at = '2020-01-01' WHERE id = 3");
        await x.RunOkAsync();

        await x.AssertEqualsFullRefreshAsync("after an update that moved updated_at backwards");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_update_that_moves_the_cursor_forward_but_below_the_watermark_arrives(bool sameDatabase)
    {
        await using var x = await ExtractCase.CreateAsync(sameDatabase);
        await x.SourceAsync(Start);
        await x.RunOkAsync();

        await x.SourceAsync("UPDATE {s}.users SET city = 'Caruaru', updated_at = '2025-01-02 12:00' WHERE id = 1");
        await x.RunOkAsync();

        await x.AssertEqualsFullRefreshAsync("after an update below the watermark");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_transaction_open_while_a_run_reads_the_source_arrives_on_the_next_run_after_it_commits(bool sameDatabase)
    {
        await using var x = await ExtractCase.CreateAsync(sameDatabase);
        await x.SourceAsync(Start);
        await x.RunOkAsync();

        // The late transaction's now() (its start) is before the cursor of a row committed after it began.
        await using var late = await x.OpenSourceAsync();
        await x.SourceAsync(late, "BEGIN; UPDATE {s}.users SET city = 'Caruaru', updated_at = now() WHERE id = 2; INSERT INTO {s}.users VALUES (6, now(), now(), 'Late', NULL, NULL)");
        await x.SourceAsync("INSERT INTO {s}.users VALUES (7, clock_timestamp(), clock_timestamp() + interval '1 second', 'Recife', NULL, NULL)");
        await x.RunOkAsync();
        await x.SourceAsync(late, "COMMIT");
        await x.RunOkAsync();

        await x.AssertEqualsFullRefreshAsync("after a late commit");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rows_with_a_NULL_cursor_are_extracted_and_counted_as_a_warning(bool sameDatabase)
    {
        await using var x = await ExtractCase.CreateAsync(sameDatabase);
        await x.SourceAsync("ALTER TABLE {s}.users ALTER updated_at DROP NOT NULL;" + Start + "INSERT INTO {s}.users VALUES (4, '2025-01-04', NULL, 'Manaus', NULL, NULL);");
        await x.RunOkAsync();

        await x.SourceAsync("""
            UPDATE {s}.users SET city = 'Caruaru' WHERE id = 4;
            UPDATE {s}.users SET city = 'Belém', updated_at = NULL WHERE id = 2;
            INSERT INTO {s}.users VALUES (5, '2025-01-05', NULL, 'Natal', NULL, NULL);
            """);
        var run = await x.RunOkAsync();

        Assert.Equal("3 source rows have a cursor (updated_at) in the future, infinite or NULL: they are extracted, but their cursor says nothing of when they changed",
            ExtractCase.Warning(run, "staging.users"));
        await x.AssertEqualsFullRefreshAsync("after changes to rows whose updated_at is NULL");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_delete_balanced_by_an_insert_with_an_older_cursor_is_exact(bool sameDatabase)
    {
        await using var x = await ExtractCase.CreateAsync(sameDatabase);
        await x.SourceAsync(Start);
        await x.RunOkAsync();

        // One transaction: the count stays the same, and the new row's cursor is before the watermark.
        await x.SourceAsync("BEGIN; DELETE FROM {s}.users WHERE id = 2; INSERT INTO {s}.users VALUES (8, '2024-06-01', '2024-06-01', 'Natal', NULL, NULL); COMMIT");
        await x.RunOkAsync();

        await x.AssertEqualsFullRefreshAsync("after a delete balanced by an insert");
    }

    /// <summary>
    /// A table with a child (or partitions): a row's address (ctid) is unique only within one of its
    /// tables, so the same-database pass that gathers changed rows' addresses also copies the row at
    /// the same address in the other table (unchanged, merged as it is); no changed row is missed.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Changes_behind_the_watermark_in_a_table_with_a_child_arrive(bool sameDatabase)
    {
        await using var x = await ExtractCase.CreateAsync(sameDatabase);
        await x.SourceAsync(Start + """
            CREATE TABLE {s}.users_archived () INHERITS ({s}.users);
            INSERT INTO {s}.users_archived VALUES (20, '2024-01-01', '2024-01-01 10:00', 'Natal', NULL, NULL);
            """);
        await x.RunOkAsync();

        // Both tables hold a changed row at the same address within its own table: the first tuple of each.
        await x.SourceAsync("""
            UPDATE {s}.users SET city = 'Caruaru', updated_at = '2020-01-01' WHERE id = 1;
            UPDATE {s}.users_archived SET city = 'Belém', updated_at = '2020-01-01' WHERE id = 20;
            INSERT INTO {s}.users_archived VALUES (21, '2024-01-02', '2024-01-02 10:00', 'Olinda', NULL, NULL);
            """);
        await x.RunOkAsync();

        await x.AssertEqualsFullRefreshAsync("after changes behind the watermark in a table and its child");
    }

    [Fact]
    public async Task A_cursor_whose_type_changed_is_an_error_naming_it_and_a_full_refresh_migrates_it()
    {
        await using var x = await ExtractCase.CreateAsync();
        await x.SourceAsync(Start);
        await x.RunOkAsync();
        var before = await x.Pipeline.ContentAsync("{staging}.users");

        await x.SourceAsync("""
            ALTER TABLE {s}.users ALTER updated_at TYPE timestamp USING updated_at AT TIME ZONE 'America/Sao_Paulo';
            INSERT INTO {s}.users VALUES (9, '2025-02-01', '2025-02-01 10:00', 'Natal', NULL, NULL);
            """);
        var run = await x.Pipeline.Engine(x.Env, "run", "--only", "staging.users");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"step staging.users failed: source 'app': column updated_at of table {x.Pipeline.Schema("source:app")}.\"users\" " +
                        "is timestamp without time zone in the source, timestamp with time zone in staging", run.Error);
        Assert.Contains("hint: engine run --full-refresh --only staging.users rebuilds the table with the source's types and reloads it", run.Error);
        Assert.Equal(before, await x.Pipeline.ContentAsync("{staging}.users"));

        await x.RunOkAsync("--full-refresh", "--only", "staging.users");
        Assert.Equal("timestamp without time zone", await x.Pipeline.ScalarAsync<string>(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '{staging}.users'::regclass AND attname = 'updated_at'"));
        await x.SourceAsync("UPDATE {s}.users SET city = 'Caruaru', updated_at = '2025-02-02 10:00' WHERE id = 9");
        await x.RunOkAsync();
        await x.AssertEqualsFullRefreshAsync("after the cursor's type changed");
    }
}
