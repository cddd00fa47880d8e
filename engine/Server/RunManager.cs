using System.Collections.Concurrent;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Server;

/// <summary>What became of a trigger: started (202), refused because a run is going (409), or refused (4xx/5xx).</summary>
internal abstract record StartOutcome
{
    public sealed record Started(string RunId) : StartOutcome;
    public sealed record Busy(string? RunId, string Message) : StartOutcome;
    public sealed record Refused(int StatusCode, string Message) : StartOutcome;
}

/// <summary>
/// Runs in the background of the server process, one at a time (SPEC §12). A trigger is
/// refused while this server runs one (its own state) or while any other process holds the
/// target's run lock (the runner's advisory lock, so the CLI and other servers count too).
/// </summary>
internal sealed class RunManager(ServiceSetup setup) : IAsyncDisposable
{
    private const int Remembered = 50;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, LiveRun> _runs = new();
    private string? _current;
    private Task _task = Task.CompletedTask;

    public LiveRun? Find(string runId) => _runs.GetValueOrDefault(runId);

    /// <summary>The runs this process started, newest first (the run log has them too, once they really started).</summary>
    public IReadOnlyList<LiveRun> Recent => _runs.Values.OrderByDescending(r => r.StartedAt).ToList();

    public async Task<StartOutcome> StartAsync(string? selection, string requestedBy, CancellationToken ct)
    {
        var runId = RunContext.NewRunId();
        lock (_gate)
        {
            if (_current is { } busy) return new StartOutcome.Busy(busy, $"run {busy} is in progress on this server");
            _current = runId;
        }

        Workspace workspace;
        RunRequest request;
        IReadOnlyList<StepId> selected;
        try
        {
            workspace = setup.BuildWorkspace(setup.LoadProject(), runId);
            request = setup.Defaults with { Only = selection, AsOf = workspace.Run.AsOf.ToString("yyyy-MM-dd"), Trigger = "http" };
            // SPEC §5: the selection is checked before the run is accepted; a typo is the caller's 400.
            selected = workspace.Selector.Select(new Selector.Selection(selection));
        }
        catch (PipelineException e)
        {
            Release(runId);
            return new StartOutcome.Refused(StatusCode(e.Kind), Responses.Describe(e));
        }
        catch
        {
            Release(runId);
            throw;
        }

        var live = new LiveRun(runId, Runner.Describe(request), selected);
        _runs[runId] = live;
        Forget();
        setup.Log.Information("Run {RunId} requested over HTTP by {Principal}: {Selection}", runId, requestedBy, live.Selection);
        var task = Task.Run(() => ExecuteAsync(live, workspace, request, selected), CancellationToken.None);
        lock (_gate) _task = task;

        // Answer once the run holds the lock, so a run elsewhere becomes this trigger's 409.
        await Task.WhenAny(live.Started, task, Task.Delay(setup.StartWait, ct));
        if (live.Started.IsCompleted || !task.IsCompleted || live.Failure is not { } failure) return new StartOutcome.Started(runId);

        _runs.TryRemove(runId, out _);
        if (failure.Kind != ErrorKind.Locked) return new StartOutcome.Refused(StatusCode(failure.Kind), failure.Message);
        string? holder = null;
        try { holder = await RunLock.HolderRunIdAsync(setup.Connection.ConnectionString, workspace.Project.MetaSchema, ct); }
        catch (Npgsql.NpgsqlException) { /* the 409 still stands without the holder's id */ }
        return new StartOutcome.Busy(holder, failure.Message);
    }

    private async Task ExecuteAsync(LiveRun live, Workspace workspace, RunRequest request, IReadOnlyList<StepId> selected)
    {
        RunResult? result = null;
        (ErrorKind? Kind, string Message) failure = (null, "");
        try
        {
            // The composition root of a run over HTTP, as RunCommand is for the CLI.
            await using var dataSource = await Connections.OpenAsync(setup.Connection, _stopping.Token);
            await using var sources = new Extraction.SourceConnections(workspace.Project, setup.Environment);
            var runLog = new RunLog(workspace.Project.MetaSchema);
            var pseudonymKey = workspace.PseudonymKeyFor(selected, setup.Environment);
            var executor = new StepExecutor(dataSource, runLog, workspace, setup.Log,
                new Extraction.Extractor(sources, workspace.Run.FullRefresh), pseudonymKey: pseudonymKey);
            result = await new Runner(workspace, dataSource, setup.Connection, runLog, new Preparation(workspace, dataSource, setup.Connection, setup.Log),
                executor, sources, setup.Log, live).RunAsync(request, selected, _stopping.Token);
        }
        catch (PipelineException e)
        {
            setup.Log.Warning("Run {RunId} did not start: {Error}", live.RunId, e.Message);
            // The lock's hint is about the CLI's --wait; over HTTP the 409 and the holder's id say it all.
            failure = (e.Kind, e.Kind == ErrorKind.Locked ? e.Diagnostics[0].Message : Responses.Describe(e));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            failure = (null, "cancelled: the service was stopped");
        }
        catch (Exception e)
        {
            setup.Log.Error(e, "Run {RunId} failed with an internal error", live.RunId);
            failure = (null, $"internal error: {e.Message}");
        }
        finally
        {
            // Free before the run reads as finished: a client that sees it end may trigger the next at once.
            Release(live.RunId);
        }
        if (result is not null) live.Complete(result);
        else live.Fail(failure.Kind, failure.Message);
    }

    private void Release(string runId)
    {
        lock (_gate)
            if (_current == runId) _current = null;
    }

    /// <summary>Keeps the newest finished runs in memory; older ones are read back from the run log.</summary>
    private void Forget()
    {
        foreach (var old in Recent.Where(r => r.Finished).Skip(Remembered)) _runs.TryRemove(old.RunId, out _);
    }

    private static int StatusCode(ErrorKind? kind) => kind switch
    {
        ErrorKind.Usage => 400,
        ErrorKind.Locked => 409,
        ErrorKind.Connection => 503,
        _ => 500,
    };

    /// <summary>On shutdown a running run is cancelled (its step rolls back) and awaited, so the run log says so.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task task;
        lock (_gate) task = _task;
        try { await task; }
        catch (Exception) { /* already recorded on the run */ }
        _stopping.Dispose();
    }
}
