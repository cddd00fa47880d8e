namespace Lacrei.Engine.Tests;

/// <summary>
/// SPEC §9.2, exact, with the source read from a hot standby (nothing is written to the source):
/// the snapshot's xmin there comes from the transactions the standby knows to be running, and its
/// list of running transactions is empty, which is why only xmin is used. A transaction open on
/// the primary while a run reads the standby arrives on the run after it commits.
/// </summary>
public sealed class HotStandbySourceTests
{
    [Fact]
    public async Task A_late_commit_on_the_primary_arrives_through_a_hot_standby()
    {
        await using var primary = await ThrowawayServer.StartAsync();
        await using var standby = await primary.StartStandbyAsync();
        await using var x = await ExtractCase.CreateAsync(server: primary.ConnectionString());
        x.ReadFrom(standby.ConnectionString());
        await x.SourceAsync("INSERT INTO {s}.users SELECT g, '2025-01-01', '2025-01-01'::timestamptz + g * interval '1 minute', 'Recife', NULL, NULL FROM generate_series(1, 20) g");
        await CaughtUpAsync(primary, standby);
        await x.RunOkAsync();

        await using var late = await x.OpenSourceAsync();
        await x.SourceAsync(late, "BEGIN; UPDATE {s}.users SET city = 'Caruaru', updated_at = now() WHERE id = 2; INSERT INTO {s}.users VALUES (30, now(), now(), 'Late', NULL, NULL)");
        await x.SourceAsync("UPDATE {s}.users SET city = 'Natal', updated_at = clock_timestamp() WHERE id = 3; UPDATE {s}.users SET city = 'Olinda' WHERE id = 4");
        await CaughtUpAsync(primary, standby);
        await x.RunOkAsync();
        await x.SourceAsync(late, "COMMIT");
        await CaughtUpAsync(primary, standby);
        await x.RunOkAsync();

        await x.AssertEqualsFullRefreshAsync("after a late commit, read from a hot standby");
        Assert.Equal("Caruaru", await x.Pipeline.ScalarAsync<string>("SELECT city FROM {staging}.users WHERE id = 2"));
    }

    /// <summary>Waits until the standby has replayed everything the primary has written so far.</summary>
    private static async Task CaughtUpAsync(ThrowawayServer primary, ThrowawayServer standby)
    {
        var written = await primary.ScalarAsync<string>("SELECT pg_current_wal_insert_lsn()::text");
        for (var i = 0; i < 300; i++)
        {
            if (await standby.ScalarAsync<bool>($"SELECT pg_last_wal_replay_lsn() >= '{written}'::pg_lsn")) return;
            await Task.Delay(100);
        }
        Assert.Fail("the standby did not catch up within 30 s");
    }
}
