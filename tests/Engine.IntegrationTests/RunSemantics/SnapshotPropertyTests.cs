using CsCheck;
using Npgsql;

namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// lp_snapshot (0017_snapshots.sql) over any sequence of source states, one transaction each, as
/// a snapshot step's runs: the current versions are the last state, each key has one version per
/// run where it appeared or its checked value changed, and a key's versions never overlap.
/// </summary>
public sealed class SnapshotPropertyTests : IAsyncLifetime
{
    private readonly IsolatedPipeline _pipeline = new(Repo.ShopFixture);
    private int _tables;
    private const string Mart = "{mart}";
    private const string Meta = "{meta}";

    public async Task InitializeAsync()
    {
        var migrate = await _pipeline.Engine("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        await _pipeline.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS {mart}");
    }

    public Task DisposeAsync() => _pipeline.DisposeAsync().AsTask();

    /// <summary>A source state: for keys 1 to 4, absent (null) or one of three values.</summary>
    private static readonly Gen<string?[]> State = Gen.Int[0, 3].Select(i => i == 0 ? null : ((char)('a' + i - 1)).ToString()).Array[4];

    [Fact]
    public async Task Current_versions_equal_the_last_state_and_versions_follow_the_changes() =>
        await State.Array[1, 6].SampleAsync(async states =>
        {
            var table = $"snapshot_{Interlocked.Increment(ref _tables)}";
            await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
            await connection.OpenAsync();
            foreach (var state in states) await RunAsync(connection, table, state);

            var last = states[^1];
            var expectedCurrent = string.Join(";", Enumerable.Range(1, 4).Where(k => last[k - 1] is not null).Select(k => $"{k}={last[k - 1]}"));
            var expectedVersions = Enumerable.Range(0, 4).Sum(k => states.Select((s, i) => s[k] is not null && (i == 0 || states[i - 1][k] != s[k]) ? 1 : 0).Sum());
            Assert.Equal(expectedCurrent, await ScalarAsync<string>(connection,
                $"SELECT coalesce(string_agg(id || '=' || v, ';' ORDER BY id), '') FROM {Mart}.{table} WHERE valid_to IS NULL"));
            Assert.Equal(expectedVersions, await ScalarAsync<long>(connection, $"SELECT count(*) FROM {Mart}.{table}"));
            Assert.Equal(0L, await ScalarAsync<long>(connection, $"""
                SELECT count(*) FROM (SELECT valid_from, valid_to, lead(valid_from) OVER (PARTITION BY id ORDER BY valid_from) AS next FROM {Mart}.{table}) AS v
                WHERE v.valid_to <= v.valid_from OR (v.next IS NOT NULL AND (v.valid_to IS NULL OR v.valid_to > v.next))
                """));
        }, iter: 25, threads: 1);

    /// <summary>One run of a snapshot step over this state: its rows in the step-local table, then the procedure, in one transaction.</summary>
    private async Task RunAsync(NpgsqlConnection connection, string table, string?[] state)
    {
        var rows = string.Join(" UNION ALL ", Enumerable.Range(1, 4).Where(k => state[k - 1] is not null).Select(k => $"SELECT {k}::integer AS id, '{state[k - 1]}'::text AS v"));
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(_pipeline.Sql($"""
            CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS {(rows.Length == 0 ? "SELECT 1::integer AS id, 'a'::text AS v WHERE false" : rows)};
            CALL {Meta}.lp_snapshot(p_schema => '{_pipeline.Schema("mart").Trim('"')}', p_table => '{table}', p_keys => ARRAY['id'], p_step => 'mart.{table}',
                p_rows_table => 'lp_step_rows', p_strategy => 'check', p_check_cols => ARRAY['v']);
            """), connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(_pipeline.Sql(sql), connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
