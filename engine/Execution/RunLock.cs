using System.Net.Sockets;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Meta;
using Npgsql;
using Serilog;

namespace Lacrei.Engine.Execution;

/// <summary>
/// One run at a time per target (SPEC §6), migrations included (SPEC §7): the run lease of the
/// meta schema (<see cref="RunLease"/>), taken in a transaction of its own, renewed by a heartbeat
/// every third of its duration while the run goes, and released at the end. It works through a
/// pooler in transaction mode, where a session advisory lock would be released with the first
/// transaction or held by a stranger's session. A holder killed without a word stops renewing,
/// and its lease is taken over once it expires. If the heartbeat finds the lease taken over (this
/// process stalled longer than the lease), <see cref="Lost"/> stops the run.
/// </summary>
public sealed class RunLock : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly RunLease _lease;
    private readonly Guid _token;
    private readonly TimeSpan _duration;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _beat;
    private Task _heartbeat = Task.CompletedTask;

    private RunLock(NpgsqlDataSource dataSource, RunLease lease, Guid token, TimeSpan duration, ILogger log)
    {
        (_dataSource, _lease, _token, _duration, _log) = (dataSource, lease, token, duration, log);
        _beat = new PeriodicTimer(duration / 3);
    }

    /// <summary>Cancelled when the lease was taken over by another run: this run must stop writing.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Why the lease was lost (who took it over), once <see cref="Lost"/> is cancelled.</summary>
    public string? LostReason { get; private set; }

    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Takes the lease for <paramref name="runId"/> (or <c>migrate</c>, <c>seed</c>). When another
    /// run holds it: exit 3 naming the holder, or with <paramref name="wait"/> poll with backoff
    /// until it is released or expires.
    /// </summary>
    public static async Task<RunLock> AcquireAsync(string connectionString, Identifier metaSchema, string runId, bool wait,
        TimeSpan duration, ILogger log, CancellationToken ct)
    {
        // Unpooled: a server restarted during a long run never hands the heartbeat a dead connection.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "lacrei-pipeline " + Label(runId), Pooling = false };
        var dataSource = Database.BuiltinTypes.DataSource(builder.ConnectionString);
        var lease = new RunLease(metaSchema);
        var token = Guid.NewGuid();
        try
        {
            // The first attempt uses the connection that made sure of the table (unpooled, each costs a login).
            NpgsqlConnection? first = await dataSource.OpenConnectionAsync(ct);
            try
            {
                await lease.EnsureTableAsync(first, ct);
            }
            catch (Exception error)
            {
                await first.DisposeAsync();
                if (error is PostgresException e)
                    throw new PipelineException(ErrorKind.Connection, null, $"creating the run lease table {lease.Table} failed: {e.MessageText}",
                        e.SqlState == "42501" ? "the user needs CREATE on the database and the meta schema (or run 'engine migrate' as an owner first)" : e.Hint);
                throw;
            }
            var delay = TimeSpan.FromMilliseconds(100);
            LeaseHolder? announced = null;
            while (true)
            {
                LeaseHolder? holder;
                var attempt = first ?? await dataSource.OpenConnectionAsync(ct);
                first = null;
                await using (var connection = attempt)
                {
                    var (taken, from) = await lease.TryTakeAsync(connection, token, runId, builder.ApplicationName!, Environment.MachineName,
                        Environment.ProcessId, duration, ct);
                    if (taken)
                    {
                        if (from is not null)
                            log.Warning("Took over the run lease of {Holder}: it expired without being renewed (its process stopped without releasing it)", Label(from));
                        var runLock = new RunLock(dataSource, lease, token, duration, log);
                        runLock._heartbeat = Task.Run(runLock.HeartbeatAsync, CancellationToken.None);
                        return runLock;
                    }
                    holder = await lease.HolderAsync(connection, ct);
                }
                // Released or expired since the attempt: try again at once.
                if (holder is null || holder.Expired) continue;
                if (!wait)
                    throw new PipelineException(ErrorKind.Locked, null,
                        $"another run holds the lock on meta schema {metaSchema.Quoted}: {Describe(holder)}",
                        "wait for it to finish, or pass --wait to queue behind it");
                if (announced is null || announced.Holder != holder.Holder || announced.AcquiredAt != holder.AcquiredAt)
                    log.Information("Waiting for the run lease: {Holder}", Describe(holder));
                announced = holder;
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestPoll.Ticks));
            }
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The run id (or <c>migrate</c>, <c>seed</c>) of whoever holds the lease, null when nobody
    /// does: the service answers a refused trigger's 409 with it (SPEC §12).
    /// </summary>
    public static async Task<string?> HolderRunIdAsync(string connectionString, Identifier metaSchema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var holder = await new RunLease(metaSchema).HolderAsync(connection, ct);
        return holder is { Expired: false } ? holder.Holder : null;
    }

    private static string Label(string holder) => holder is "migrate" or "seed" ? $"engine {holder}" : $"run {holder}";

    private static string Describe(LeaseHolder holder) =>
        $"{Label(holder.Holder)} (pid {holder.Pid} on {holder.Host}, since {holder.AcquiredAt:yyyy-MM-dd HH:mm:ss}Z; " +
        $"its lease runs until {holder.ExpiresAt:HH:mm:ss}Z unless renewed)";

    private async Task HeartbeatAsync()
    {
        try
        {
            while (await _beat.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token);
                    if (await _lease.RenewAsync(connection, _token, _duration, _stop.Token)) continue;
                    var holder = await _lease.HolderAsync(connection, _stop.Token);
                    LostReason = holder is null ? "its row was deleted" : $"{Describe(holder)} took it over after it expired";
                    _log.Error("The run lease was lost: {Reason}; stopping this run", LostReason);
                    await _lost.CancelAsync();
                    return;
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or SocketException)
                {
                    // The server may be restarting: the steps report that; the lease lasts until it expires.
                    _log.Warning("Could not renew the run lease ({Error}); trying again", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
    }

    public async ValueTask DisposeAsync()
    {
        // Stopping the timer first ends a wait for the next beat with false; cancelling that wait
        // would end it with an exception whose stack trace the native build resolves from its
        // metadata, about 6 ms of CPU at the end of every run. The token stops a renewal under way.
        _beat.Dispose();
        await _stop.CancelAsync();
        await _heartbeat;
        if (LostReason is null)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(CancellationToken.None);
                await _lease.ReleaseAsync(connection, _token, CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or SocketException)
            {
                _log.Warning("Could not release the run lease ({Error}); it expires by itself within {Duration}", e.Message, Duration.Text(_duration));
            }
        }
        await _dataSource.DisposeAsync();
        _stop.Dispose();
        _lost.Dispose();
    }
}
