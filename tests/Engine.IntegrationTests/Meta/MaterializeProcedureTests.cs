using Lacrei.Engine.Meta;
using Npgsql;

namespace Lacrei.Engine.Tests.Meta;

/// <summary>
/// The meta schema's procedure <c>lp_materialize</c> called directly, as a step's transaction
/// calls it, on a scratch schema: what it creates and answers, and its errors LP001–LP004.
/// </summary>
public sealed class MaterializeProcedureTests : IAsyncLifetime
{
    private readonly IsolatedPipeline _pipeline = new(Repo.ShopFixture);

    private string Schema => _pipeline.Schema("staging").Trim('"');

    public async Task InitializeAsync()
    {
        var migrate = await _pipeline.Engine("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        await _pipeline.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS {staging}");
    }

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    [Fact]
    public async Task A_first_call_creates_the_table_and_journals_its_DDL_with_the_journal_checksum()
    {
        var answer = await MaterializeAsync("SELECT 1 AS id, 'a'::text AS name", Items(keys: "ARRAY['id']"));

        Assert.Equal((1L, 1L), (answer.Rows, answer.Inserted));
        // The key is built after the rows are in (0015_bulk_writes.sql); the journal has the table as it ends up.
        Assert.Equal($"CREATE TABLE {Schema}.items (id integer, name text)", answer.Statements[0]);
        Assert.Equal($"INSERT INTO {Schema}.items (id, name) SELECT id, name FROM pg_temp.{StepTables.Rows}", answer.Statements[1]);
        Assert.Equal($"ALTER TABLE {Schema}.items ADD PRIMARY KEY (id)", answer.Statements[2]);
        Assert.Equal($"ANALYZE {Schema}.items", answer.Statements[^1]);
        var ddl = $"CREATE TABLE {Schema}.items (id integer, name text, PRIMARY KEY (id))";
        var journaled = await _pipeline.ScalarAsync<string[]>("SELECT ARRAY[checksum, script] FROM {meta}.schemaversions WHERE scriptname = 'auto/staging.items.sql'");
        Assert.Equal([Journal.Checksum(ddl), ddl], journaled);
    }

    [Fact]
    public async Task The_same_rows_again_write_nothing_and_the_answer_says_which_statements_ran()
    {
        await MaterializeAsync("SELECT 1 AS id, 'a'::text AS name", Items(keys: "ARRAY['id']"));

        var again = await MaterializeAsync("SELECT 1 AS id, 'a'::text AS name", Items(keys: "ARRAY['id']"));

        Assert.Equal((0L, 0L), (again.Rows, again.Inserted));
        Assert.StartsWith($"WITH written AS (INSERT INTO {Schema}.items AS t (id, name) SELECT id, name FROM pg_temp.{StepTables.Rows} ON CONFLICT (id) DO UPDATE",
            Assert.Single(again.Statements));
    }

    [Fact]
    public async Task A_tracked_step_logs_the_key_of_a_row_it_deletes_and_no_other_value()
    {
        await MaterializeAsync("SELECT 1 AS id, 'a'::text AS name UNION ALL SELECT 2, 'b'", Items(keys: "ARRAY['id']", mode: "replace", track: true));

        var answer = await MaterializeAsync("SELECT 1 AS id, 'a'::text AS name", Items(keys: "ARRAY['id']", mode: "replace", track: true));

        Assert.Equal(1L, answer.Rows);
        // SPEC §9.6: a log keeps keys (and the columns its readers name, none here), never a row image.
        Assert.Equal("{\"id\": 2}", await _pipeline.ScalarAsync<string>("SELECT image::text FROM {meta}.changes WHERE step = 'staging.items'"));
    }

    [Fact]
    public async Task LP001_rows_whose_columns_no_longer_match_the_table_are_refused_naming_the_difference()
    {
        await MaterializeAsync("SELECT 1 AS id, 'a'::text AS name", Items(keys: "ARRAY['id']"));

        var error = await Assert.ThrowsAsync<PostgresException>(() => MaterializeAsync("SELECT 1 AS id, 'a'::text AS label", Items(keys: "ARRAY['id']")));

        Assert.Equal(("LP001", $"the columns of the SELECT of staging.items no longer match table {Schema}.items", "missing from the SELECT: name; not in the table: label"),
            (error.SqlState, error.MessageText, error.Detail));
        Assert.Equal("set on_schema_change: append_new_columns or sync_all_columns on the step, or add a migration that alters the table", error.Hint);
    }

    [Fact]
    public async Task LP002_a_key_column_the_rows_do_not_have_is_refused_naming_the_columns_they_have()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => MaterializeAsync("SELECT 1 AS id, 'a'::text AS name", Items(keys: "ARRAY['code']")));

        Assert.Equal(("LP002", "key column(s) code of staging.items are not among the columns of its SELECT", "the SELECT returns: id, name"),
            (error.SqlState, error.MessageText, error.Hint));
    }

    [Fact]
    public async Task LP003_the_changes_of_a_step_without_a_key_cannot_be_tracked()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => MaterializeAsync("SELECT 1 AS id", Items(keys: "ARRAY[]::text[]", mode: "replace", track: true)));

        Assert.Equal(("LP003", "staging.items has no key, so its changes cannot be tracked"), (error.SqlState, error.MessageText));
    }

    [Fact]
    public async Task LP004_a_scope_that_returns_other_columns_than_keys_is_refused()
    {
        await MaterializeAsync("SELECT 1 AS id, 'SP'::text AS region", Items(keys: "ARRAY['id']"));

        var error = await Assert.ThrowsAsync<PostgresException>(() => MaterializeAsync("SELECT 1 AS id, 'SP'::text AS region",
            Items(keys: "ARRAY['id']") + $", p_scope_table => '{StepTables.Scope}'", scope: "SELECT 1 AS id, 'SP'::text AS region"));

        Assert.Equal(("LP004", "the scope of staging.items returns region, which are not key columns", "the scope selects key columns only: id"),
            (error.SqlState, error.MessageText, error.Hint));
    }

    /// <summary>
    /// 0021_scope_deletes.sql: with a scope of the whole key, the keys in scope that the rows lack
    /// are counted first; none means no DELETE at all, some are deleted (and logged) by key, and
    /// rows outside the scope stay whatever the rows say.
    /// </summary>
    [Fact]
    public async Task A_scope_of_the_whole_key_deletes_exactly_the_keys_in_scope_the_rows_lack()
    {
        await MaterializeAsync("SELECT g AS id, 'a'::text AS name FROM generate_series(1, 5) AS g", Items(keys: "ARRAY['id']", track: true));
        var scoped = Items(keys: "ARRAY['id']", track: true) + $", p_scope_table => '{StepTables.Scope}'";

        var none = await MaterializeAsync("SELECT 2 AS id, 'b'::text AS name", scoped, scope: "SELECT 2 AS id");
        var some = await MaterializeAsync("SELECT 2 AS id, 'b'::text AS name", scoped, scope: "SELECT 2 AS id UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 9");

        Assert.Equal(1L, none.Rows);
        Assert.DoesNotContain(none.Statements, s => s.StartsWith("WITH gone AS (DELETE", StringComparison.Ordinal));
        Assert.Equal(2L, some.Rows);
        Assert.Equal("1 a,2 b,5 a", await _pipeline.ScalarAsync<string>($"SELECT string_agg(id || ' ' || name, ',' ORDER BY id) FROM {Schema}.items"));
        Assert.Equal("{\"id\": 3},{\"id\": 4}", await _pipeline.ScalarAsync<string>(
            "SELECT string_agg(image::text, ',' ORDER BY seq) FROM {meta}.changes WHERE step = 'staging.items' AND image::text <> '{\"id\": 2}'"));
    }

    [Fact]
    public async Task A_scope_of_part_of_the_key_deletes_the_rows_it_covers_that_the_rows_lack()
    {
        await MaterializeAsync("SELECT r AS region, g AS id FROM unnest(ARRAY['SP', 'RJ']) AS r, generate_series(1, 3) AS g", Items(keys: "ARRAY['region', 'id']"));

        var answer = await MaterializeAsync("SELECT 'SP'::text AS region, 1 AS id", Items(keys: "ARRAY['region', 'id']") + $", p_scope_table => '{StepTables.Scope}'",
            scope: "SELECT 'SP'::text AS region");

        Assert.Equal(2L, answer.Rows);
        Assert.Equal("RJ 1,RJ 2,RJ 3,SP 1", await _pipeline.ScalarAsync<string>($"SELECT string_agg(region || ' ' || id, ',' ORDER BY region, id) FROM {Schema}.items"));
    }

    [Theory]
    [InlineData("CREATE TABLE a (id integer)")]
    [InlineData("line one\r\nline two\rline three\n")]
    [InlineData("não é ASCII: ção → ✓")]
    public async Task The_procedure_checksums_a_script_as_the_journal_does(string script)
    {
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(_pipeline.Sql("SELECT {meta}.lp_checksum(p_script => $1)"), connection) { Parameters = { new() { Value = script } } };

        Assert.Equal(Journal.Checksum(script), (string)(await command.ExecuteScalarAsync())!);
    }

    private string Items(string keys, string mode = "upsert", bool track = false) =>
        $"p_mode => '{mode}', p_table => 'items', p_keys => {keys}, p_step => 'staging.items', " +
        $"p_delete_missing => false, p_full_refresh => false, p_track => {(track ? "true" : "false")}";

    /// <summary>One step's transaction: its rows (and scope), then the CALL with named arguments; committed when it succeeds.</summary>
    private async Task<MetaAnswer> MaterializeAsync(string rows, string arguments, string? scope = null)
    {
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var sql = $"CREATE TEMP TABLE {StepTables.Rows} ON COMMIT DROP AS {rows};\n" +
                  (scope is null ? "" : $"CREATE TEMP TABLE {StepTables.Scope} ON COMMIT DROP AS {scope};\n") +
                  $"CALL {{meta}}.lp_materialize(p_schema => '{Schema}', p_rows_table => '{StepTables.Rows}', {arguments})";
        await using var command = new NpgsqlCommand(_pipeline.Sql(sql), connection, transaction);
        MetaAnswer? answer = null;
        await using (var reader = await command.ExecuteReaderAsync())
            do answer ??= await MetaAnswer.ReadAsync(reader, CancellationToken.None);
            while (await reader.NextResultAsync());
        await transaction.CommitAsync();
        return answer ?? throw new InvalidOperationException("the CALL did not answer");
    }
}
