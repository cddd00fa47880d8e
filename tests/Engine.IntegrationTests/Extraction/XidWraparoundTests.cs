namespace Lacrei.Engine.Tests;

/// <summary>
/// SPEC §9.2, exact: changes are found by the 32-bit transaction id of each row (xmin) against a
/// stored 64-bit horizon. On a source server of the test's own, pg_resetwal moves the transaction
/// counter to just below 2^32: an extraction's horizon is then in epoch 0, the next changes wrap
/// around into epoch 1 (their xmin starts again from 3), and VACUUM FREEZE marks every row frozen.
/// No change may be lost, and no unchanged row copied.
/// </summary>
public sealed class XidWraparoundTests
{
    private const uint NearWraparound = uint.MaxValue - 3000;

    [Fact]
    public async Task Changes_across_the_transaction_id_wraparound_and_in_frozen_rows_all_arrive()
    {
        await using var server = await ThrowawayServer.StartAsync();
        // Everything initdb wrote is frozen first: after the jump its transaction ids would look
        // like the future, and only frozen rows are visible whatever their xmin.
        await server.ExecuteAsync("VACUUM FREEZE");
        await server.ExecuteAsync("VACUUM FREEZE", "template1");
        await server.StopAsync();
        await server.SetNextXidAsync(NearWraparound);
        await server.StartAgainAsync();
        // Then again, so that each table's relfrozenxid follows the counter (as anti-wraparound
        // autovacuum would, sooner or later) before any new row is written.
        await server.ExecuteAsync("VACUUM FREEZE");
        await server.ExecuteAsync("VACUUM FREEZE", "template1");

        await using var x = await ExtractCase.CreateAsync(server: server.ConnectionString());
        await x.SourceAsync("""
            INSERT INTO {s}.users SELECT g, '2025-01-01', '2025-01-01'::timestamptz + g * interval '1 minute', 'Recife', NULL, NULL FROM generate_series(1, 50) g;
            INSERT INTO {s}.orders SELECT g, g % 50 + 1, '2025-01-02', g FROM generate_series(1, 20) g;
            """);
        await x.RunOkAsync();
        var before = await x.Pipeline.ScalarAsync<long>("SELECT xid_horizon FROM {meta}.watermarks WHERE step = 'staging.users'");
        Assert.True(before < 1L << 32, $"horizon {before} is not in epoch 0");

        // Changes before the wraparound, then past it (each its own transaction), none moving updated_at.
        await x.SourceAsync("UPDATE {s}.users SET city = 'Olinda' WHERE id = 10");
        await server.ExecuteAsync("DO $$ BEGIN FOR i IN 1..3500 LOOP PERFORM txid_current(); COMMIT; END LOOP; END $$", x.SourceDatabase);
        Assert.True(await server.ScalarAsync<long>("SELECT pg_current_xact_id()::text::bigint") > 1L << 32, "the counter did not wrap around");
        await x.SourceAsync("""
            UPDATE {s}.users SET city = 'Natal' WHERE id = 20;
            UPDATE {s}.users SET city = 'Belém', updated_at = '2020-01-01' WHERE id = 30;
            INSERT INTO {s}.users VALUES (51, '2025-01-01', '2025-01-01', 'Manaus', NULL, NULL);
            DELETE FROM {s}.users WHERE id = 40;
            UPDATE {s}.orders SET total = 99 WHERE id = 5;
            """);
        await server.ExecuteAsync("VACUUM FREEZE", x.SourceDatabase);
        // Every row is frozen now (HEAP_XMIN_FROZEN in each tuple's infomask), yet keeps its xmin.
        await server.ExecuteAsync("CREATE EXTENSION pageinspect", x.SourceDatabase);
        var users = x.Pipeline.Schema("source:app") + ".users";
        Assert.Equal(0L, await server.ScalarAsync<long>($"""
            SELECT count(*) FROM generate_series(0, pg_relation_size('{users}') / 8192 - 1) AS p,
                 LATERAL heap_page_items(get_raw_page('{users}', p::int)) AS t
            WHERE t.lp_flags = 1 AND t.t_infomask & 768 <> 768
            """, x.SourceDatabase));

        var run = await x.RunOkAsync();

        Assert.True(await x.Pipeline.ScalarAsync<long>("SELECT xid_horizon FROM {meta}.watermarks WHERE step = 'staging.users'") > 1L << 32);
        await x.AssertEqualsFullRefreshAsync("after changes across the wraparound, frozen");
        Assert.Equal(5, ExtractCase.Rows(run, "staging.users")); // 3 updates and an insert copied, 1 hard delete
        var noop = await x.RunOkAsync();
        Assert.Equal(0, ExtractCase.Rows(noop, "staging.users"));
        Assert.Equal(0, ExtractCase.Rows(noop, "staging.orders"));
    }
}
