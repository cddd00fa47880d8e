using Lacrei.Engine.Config;
using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Migrations;
using Lacrei.Engine.Templating;
using Npgsql;
using Serilog;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Execution;

/// <summary>
/// A whole run: lock → schemas and migrations → seeds → the selected steps, each in its own
/// transaction on up to <c>--threads</c> connections (or all in one with <c>--atomic</c>) →
/// the run log. A failed step skips its descendants; independent steps still run. Its
/// collaborators are wired by the command or the server that starts the run; the executor
/// runs each step and the schedules decide which and when.
/// </summary>
/// <param name="dataSource">The target database, opened by the caller (who also disposes it).</param>
/// <param name="connection">The same database's settings, for the run lock's connection of its own.</param>
/// <param name="executor">Runs the steps for this run (its run id, this run log, these sources).</param>
internal sealed class Runner(Workspace workspace, NpgsqlDataSource dataSource, ConnectionSettings connection, RunLog runLog,
    Preparation preparation, StepExecutor executor, Extraction.SourceConnections sources, ILogger log, IRunProgress progress)
{
    private Project Project => workspace.Project;

    public async Task<RunResult> RunAsync(RunRequest request, IReadOnlyList<StepId> selected, CancellationToken ct)
    {
        var runId = workspace.Run.RunId;
        var started = DateTimeOffset.UtcNow;
        await using var runLock = await RunLock.AcquireAsync(connection.ConnectionString, Project.MetaSchema, runId, request.Wait,
            Project.Config.Timeouts.RunLease, log, ct);
        // A run whose lease was taken over (it stalled longer than the lease) stops like a cancelled one.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, runLock.Lost);
        RunResult? result = null;
        try { result = await RunLockedAsync(request, selected, started, stopping.Token); }
        catch (OperationCanceledException) when (runLock.LostReason is not null) { }
        if (runLock.LostReason is { } lost)
            throw new PipelineException(ErrorKind.Locked, null, $"run {runId} stopped: the run lease was lost ({lost})",
                "the steps that had not committed were rolled back; raise run_lease in pipeline.yaml if this server stalls for long");
        return result!;
    }

    private async Task<RunResult> RunLockedAsync(RunRequest request, IReadOnlyList<StepId> selected, DateTimeOffset started, CancellationToken ct)
    {
        var runId = workspace.Run.RunId;
        var extracted = selected.Select(s => workspace.Steps[s].Extract?.Source).OfType<ResolvedSource>().ToList();
        var warmUp = sources.WarmUpAsync(extracted, Math.Min(Math.Max(1, request.Threads), extracted.Count), ct);
        await preparation.PrepareAsync(ct);

        await CheckUpstreamBuiltAsync(dataSource, selected, ct);
        await Quality.DataTestColumnCheck.RunAsync(dataSource, workspace, selected, ct);
        var keyCheck = new PseudonymKeyCheck(workspace, dataSource);
        var rotating = await keyCheck.CheckAsync(selected, executor.PseudonymKey, runId, ct);
        var selection = Describe(request);
        await using (var logConnection = await dataSource.OpenConnectionAsync(ct))
            await runLog.StartAsync(logConnection, runId, request.Trigger, selection, Project.TargetName, request, Project.Config.SecretVars,
                workspace.Run.AsOf, started, ct);
        // Every selected step's SQL on disk (STYLE.md), written while the first steps run; a scoped
        // step that recomputes everything sends other statements, and the executor writes those.
        executor.WriteRenderedFiles([.. selected.Select(s => workspace.Steps[s])]);
        // The state's hashes render the project once more: on another core while the steps wait on the server.
        var hashing = Task.Run(() => State.ManifestBuilder.Build(workspace, null, runId, started), CancellationToken.None);
        log.Information("Run {RunId} started: {Steps} steps ({Selection})", runId, selected.Count, selection);
        progress.RunStarted(runId, selected.Count);

        await warmUp;
        var steps = request.Atomic
            ? await new AtomicSchedule(workspace, executor, progress).RunAsync(selected, ct)
            : await new ParallelSchedule(workspace, executor, progress, await ChangeDetector.LoadAsync(dataSource, workspace, ct),
                    await StepPriority.LoadAsync(dataSource, sources, workspace, selected, ct))
                .RunAsync(selected, Math.Max(1, request.Threads), ct);
        await executor.IndexBuildsAsync();
        await executor.RenderedFilesAsync();
        if (rotating) await LostConnection.TolerateAsync(() => keyCheck.FinishAsync(steps, executor.PseudonymKey!, runId, CancellationToken.None));

        // SPEC §9.6: a run of the whole pipeline leaves no change log entry behind.
        if (workspace.ChangeLogs.Count > 0)
            await LostConnection.TolerateAsync(async () =>
            {
                await using var forget = dataSource.CreateBatch();
                foreach (var statement in new ChangeLogs(Project.MetaSchema).ForgetAllConsumed(workspace.ChangeLogs))
                    forget.BatchCommands.Add(new NpgsqlBatchCommand(statement));
                await forget.ExecuteNonQueryAsync(CancellationToken.None);
            });
        IReadOnlyList<RejectCount>? rejects = null;
        await LostConnection.TolerateAsync(async () => rejects = await RejectCounts.ReadAsync(dataSource, Project, CancellationToken.None));
        var result = new RunResult(runId, request.Trigger, selection, started, DateTimeOffset.UtcNow, steps, ct.IsCancellationRequested, rejects);
        var logged = await LostConnection.TolerateAsync(async () =>
        {
            await using var logConnection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await runLog.FinishAsync(logConnection, result, CancellationToken.None);
        });
        if (!logged) log.Warning("Run {RunId}: the connection was lost before its end could be logged; the next run marks it interrupted", runId);
        log.Information("Run {RunId} finished: {Status}, {Rows} rows in {Seconds:0.00}s", runId, result.Status.Text(), result.Rows,
            (result.FinishedAt - result.StartedAt).TotalSeconds);
        await LostConnection.TolerateAsync(() => WriteStateAsync(runId, hashing));
        return result;
    }

    /// <summary>
    /// Every run leaves the project's manifest with its tables' columns in <c>target/state/</c>
    /// (docs/ci.md): production's is what a CI run's <c>--state</c> compares with. A file that
    /// cannot be written costs a warning, never the run.
    /// </summary>
    private async Task WriteStateAsync(string runId, Task<State.Manifest> hashing)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var columns = await State.TableShapes.ReadAsync(dataSource, workspace, CancellationToken.None);
        var read = clock.ElapsedMilliseconds;
        var hashed = await hashing;
        var waited = clock.ElapsedMilliseconds - read;
        var dir = State.ManifestFile.RunStateDir(Project.Config.RootDir);
        try
        {
            State.ManifestFile.Write(dir, State.ManifestBuilder.WithColumns(hashed, columns, DateTimeOffset.UtcNow));
            log.Debug("Run {RunId}: state written to {Dir} in {Milliseconds} ms (columns read in {Read} ms, hashes waited for {Waited} ms)",
                runId, dir, clock.ElapsedMilliseconds, read, waited);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("Run {RunId}: the state could not be written to {Dir}: {Reason}", runId, dir, e.Message);
        }
    }

    /// <summary>
    /// A selected step that reads a table no run has built yet would fail with "relation does
    /// not exist"; say instead which upstream step is missing and how to include it.
    /// </summary>
    private async Task CheckUpstreamBuiltAsync(NpgsqlDataSource dataSource, IReadOnlyList<StepId> selected, CancellationToken ct)
    {
        var inRun = selected.ToHashSet();
        var outside = selected.SelectMany(s => workspace.Dag.UpstreamOf(s).Where(u => !inRun.Contains(u) && !u.IsSeed).Select(u => (Step: s, Upstream: u)))
            .Where(pair => workspace.Steps[pair.Upstream].Step.Materialize != Materialization.Script)
            .ToList();
        if (outside.Count == 0) return;
        await using var command = dataSource.CreateCommand("SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NULL");
        // With --defer, an upstream step outside the selection is read from the state's target.
        string TableOf(StepId step) => workspace.Deferral?.TableOf(workspace.Steps[step].Step) ?? Project.TableOf(workspace.Steps[step].Step);
        command.Parameters.Add(new NpgsqlParameter { Value = outside.Select(p => TableOf(p.Upstream)).Distinct().ToArray() });
        var missing = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) missing.Add(reader.GetString(0));
        var problems = outside.Where(p => missing.Contains(TableOf(p.Upstream)))
            .Select(p => new Diagnostic(ErrorKind.Usage, null,
                $"cannot run {p.Step}: it reads {p.Upstream}, which is not in the selection and has never been built",
                $"include its ancestors, e.g. --only +{p.Step}, or run the whole pipeline once"))
            .ToList();
        if (problems.Count > 0) throw new PipelineException(problems);
    }

    public static string Describe(RunRequest request)
    {
        var parts = new List<string>();
        if (request.Only is not null) parts.Add(request.Only);
        if (request.From is not null) parts.Add($"from {request.From}");
        if (request.Exclude is not null) parts.Add($"exclude {request.Exclude}");
        if (request.Resume) parts.Add("resume");
        return parts.Count == 0 ? "all" : string.Join("; ", parts);
    }
}
