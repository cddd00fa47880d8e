using Lacrei.Engine.Config;
using Npgsql;
using Serilog;

namespace Lacrei.Engine.Execution;

/// <summary>A session that holds a lock a step waits for, as pg_stat_activity shows it (never its rows).</summary>
internal sealed record Blocker(int Pid, string Application, string State, TimeSpan Held, string Query, string Lock)
{
    public string Text =>
        $"pid {Pid} ({(Application.Length > 0 ? $"application '{Application}'" : "no application name")}, {State} for {Duration.Human(Held)}" +
        (Query.Length > 0 ? $", query: {Query}" : "") + ")";
}

/// <summary>A step gave up waiting for a lock after <c>lock_wait_limit</c>: the blocker and the last lock-timeout error.</summary>
internal sealed class LockWaitTooLong(StepLockWaits waits, PostgresException error) : Exception(error.MessageText, error)
{
    public StepLockWaits Waits { get; } = waits;
    public PostgresException Error { get; } = error;
}

/// <summary>What one step waited for so far, across its tries.</summary>
internal sealed class StepLockWaits(StepConfig step)
{
    public StepConfig Step { get; } = step;
    public Blocker? LastBlocker { get; set; }
    public TimeSpan Waited { get; set; }
    public int Tries { get; set; }
    internal (int Pid, DateTime At) LastAnnounced { get; set; }
}

/// <summary>
/// SPEC §6: publishing never makes new readers wait longer than a short bound. While a step
/// waits for a lock, every new reader of that table queues behind it, so each step's transaction
/// sets <c>lock_timeout</c>: a statement that cannot get its lock in time fails (55P03) instead,
/// the step rolls back, readers go on with the old rows, and the step is tried again after a
/// pause, until <c>lock_wait_limit</c>; then it fails naming the session that blocks it. Who that
/// is can only be seen while the step waits (pg_blocking_pids), so a watcher on another
/// connection samples it, and says so in a progress line.
/// </summary>
internal sealed class LockWaits(NpgsqlDataSource dataSource, ILogger log)
{
    public const string LockNotAvailable = "55P03";

    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sets the step's timeouts for the transaction (is_local, so a pooler's next client never
    /// inherits them) and answers the backend's pid, which the watcher needs: through a pooler the
    /// connection's own pid is not the server's.
    /// </summary>
    public static async Task<int> SetUpAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Timeouts timeouts, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT pg_backend_pid() FROM (SELECT set_config('lock_timeout', @lock, true), " +
            "set_config('statement_timeout', coalesce(@statement, current_setting('statement_timeout')), true)) AS set_up",
            connection, transaction);
        command.Parameters.AddWithValue("lock", Duration.Setting(timeouts.LockTimeout));
        command.Parameters.Add(new NpgsqlParameter("statement", NpgsqlTypes.NpgsqlDbType.Text)
            { Value = timeouts.StatementTimeout is { } statement ? Duration.Setting(statement) : DBNull.Value });
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> and tries again after each lock timeout, pausing longer
    /// each time (readers get the table meanwhile), until the step has waited lock_wait_limit.
    /// </summary>
    /// <param name="undo">Undoes a failed try when the transaction goes on (--atomic: back to a savepoint).</param>
    public async Task<T> RetryAsync<T>(StepLockWaits waits, Func<Task<T>> attempt, Func<Task>? undo, CancellationToken ct)
    {
        var timeouts = waits.Step.Timeouts;
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (PostgresException e) when (e.SqlState == LockNotAvailable && timeouts.LockTimeout > TimeSpan.Zero)
            {
                waits.Tries++;
                waits.Waited += timeouts.LockTimeout;
                if (undo is not null) await undo();
                if (waits.Waited >= timeouts.LockWaitLimit) throw new LockWaitTooLong(waits, e);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks, (timeouts.LockWaitLimit - waits.Waited).Ticks));
                log.Warning("Step {Step} could not get a lock within {LockTimeout} ({Blocker}); trying again in {Pause} (waited {Waited} of {Limit})",
                    waits.Step.Id, Duration.Text(timeouts.LockTimeout), waits.LastBlocker?.Text ?? "the session holding it had already let go",
                    Duration.Text(TimeSpan.FromMilliseconds(Math.Round(pause.TotalMilliseconds))), Duration.Human(waits.Waited),
                    Duration.Text(timeouts.LockWaitLimit));
                await Task.Delay(pause, ct);
                waits.Waited += pause;
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    /// <summary>Samples, while the step's transaction runs, who blocks backend <paramref name="pid"/>.</summary>
    public IAsyncDisposable Watch(StepLockWaits waits, int pid)
    {
        var stop = new CancellationTokenSource();
        var lockTimeout = waits.Step.Timeouts.LockTimeout;
        var interval = lockTimeout == TimeSpan.Zero ? TimeSpan.FromSeconds(1)
            : TimeSpan.FromTicks(Math.Clamp(lockTimeout.Ticks / 3, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(1).Ticks));
        var watching = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(interval, stop.Token);
                    if (await BlockerAsync(pid, stop.Token) is { } blocker) Seen(waits, blocker);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or NpgsqlException or TimeoutException) { /* the step reports its own errors */ }
        }, CancellationToken.None);
        return new Watcher(stop, watching);
    }

    private void Seen(StepLockWaits waits, Blocker blocker)
    {
        waits.LastBlocker = blocker;
        var now = DateTime.UtcNow;
        // A progress line when the blocker changes, and every half minute while it stays.
        if (waits.LastAnnounced.Pid == blocker.Pid && now - waits.LastAnnounced.At < TimeSpan.FromSeconds(30)) return;
        waits.LastAnnounced = (blocker.Pid, now);
        log.Warning("Step {Step} waits for {Lock}, held by {Blocker}", waits.Step.Id, blocker.Lock, blocker.Text);
    }

    private const string BlockerSql =
        """
        WITH waiting AS (
            SELECT pid FROM pg_stat_activity WHERE pid = @pid AND wait_event_type = 'Lock'
        )
        SELECT b.pid, coalesce(b.application_name, ''), coalesce(b.state, ''),
               extract(epoch FROM now() - coalesce(b.xact_start, b.query_start, b.backend_start))::float8,
               left(split_part(btrim(coalesce(b.query, ''), E' \n\t'), E'\n', 1), 80),
               (SELECT format('a %s lock on %s', l.mode, coalesce(l.relation::regclass::text, l.locktype))
                  FROM pg_locks l WHERE l.pid = w.pid AND NOT l.granted LIMIT 1)
          FROM waiting w
         CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocking(pid)
          JOIN pg_stat_activity b ON b.pid = blocking.pid
         ORDER BY b.xact_start NULLS LAST
         LIMIT 1
        """;

    /// <summary>The longest-held blocker of a waiting backend; null when it is not waiting for a lock.</summary>
    private async Task<Blocker?> BlockerAsync(int pid, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(BlockerSql, connection);
        command.Parameters.AddWithValue("pid", pid);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var mode = reader.IsDBNull(5) ? "a lock" : LockModeText(reader.GetString(5));
        return new Blocker(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), TimeSpan.FromSeconds(reader.GetDouble(3)),
            reader.GetString(4), mode);
    }

    /// <summary>"a AccessExclusiveLock lock on x" → "an ACCESS EXCLUSIVE lock on x", as the PostgreSQL manual names modes.</summary>
    private static string LockModeText(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"^a (\w+)Lock lock", m =>
        {
            var mode = System.Text.RegularExpressions.Regex.Replace(m.Groups[1].Value, "(?<=[a-z])(?=[A-Z])", " ").ToUpperInvariant();
            return $"{("AEIOU".Contains(mode[0]) ? "an" : "a")} {mode} lock";
        });

    private sealed class Watcher(CancellationTokenSource stop, Task watching) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await watching;
            stop.Dispose();
        }
    }
}
