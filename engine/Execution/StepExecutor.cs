using System.Diagnostics;
using Lacrei.Engine.Config;
using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Quality;
using Lacrei.Engine.Templating;
using Npgsql;
using Polly;
using Polly.Retry;
using Serilog;

namespace Lacrei.Engine.Execution;

/// <summary>
/// Runs one step as one transaction (SPEC §6): send its rendered SQL, run its data tests, record
/// its run-log row, commit. A failure rolls everything back and becomes a failed
/// <see cref="StepResult"/> with the file and line; a broken connection is retried with backoff,
/// a SQL error never. <c>--atomic</c> runs the same routine on one shared transaction.
/// </summary>
internal sealed partial class StepExecutor : IStepExecutor
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly RunLog _runLog;
    private readonly string _runId;
    private readonly string _rootDir;
    private readonly ILogger _log;
    private readonly ResiliencePipeline _retry;
    private readonly LockWaits _locks;

    private readonly Extraction.Extractor? _extractor;

    /// <summary>Handed to the transaction of every step that computes pseudonyms (null when none of the run's does).</summary>
    private readonly PseudonymKey? _pseudonymKey;

    /// <summary>The key this run computes pseudonyms with (null when no selected step computes one).</summary>
    public PseudonymKey? PseudonymKey => _pseudonymKey;

    /// <summary>Where offending rows and failed builds are kept (store_failures, --keep-failed).</summary>
    private readonly FailureStore _failures;

    /// <summary>The pipeline, to name the other step when a failure is a clash of names PostgreSQL cut short (<see cref="NameClash"/>).</summary>
    private readonly Project _project;

    /// <summary>Index builds of committed steps, still running while later steps go on (<see cref="IndexesAfterCommit"/>).</summary>
    private readonly List<Task> _indexBuilds = [];
    private readonly Lock _indexBuildsGate = new();

    /// <param name="workspace">The run's: its id, and the pipeline whose folder holds target/rendered/.</param>
    public StepExecutor(NpgsqlDataSource dataSource, RunLog runLog, Workspace workspace, ILogger log,
        Extraction.Extractor? extractor = null, int retries = 3, FailureStore? failures = null, PseudonymKey? pseudonymKey = null)
    {
        (_dataSource, _runLog, _project, _log, _extractor) = (dataSource, runLog, workspace.Project, log, extractor);
        _failures = failures ?? FailureStore.None(workspace.Project);
        _pseudonymKey = pseudonymKey;
        (_runId, _rootDir) = (workspace.Run.RunId, workspace.Project.Config.RootDir);
        _locks = new LockWaits(dataSource, log);
        _retry = retries == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(DatabaseErrors.IsTransient),
                MaxRetryAttempts = retries,
                Delay = TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    _log.Warning("Connection problem ({Error}); retrying in {Delay}", args.Outcome.Exception?.Message, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// Runs a step in its own transaction, retrying the whole step when the connection fails or a
    /// lock was not granted within lock_timeout (<see cref="LockWaits"/>).
    /// </summary>
    public async Task<StepResult> RunAsync(RenderedStep step, ChangeDetector? detector, CancellationToken ct)
    {
        if (detector?.CanSkip(step) == true) return await UnchangedAsync(step, detector, ct);
        var signature = detector?.Signature(step);
        var goOn = detector?.CanGoOn(step) == true;
        var waits = new StepLockWaits(step.Step);
        var result = await GuardAsync(step, attempt => _locks.RetryAsync(waits, () => _retry.ExecuteAsync(async token =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            await using var watch = _locks.Watch(waits, await LockWaits.SetUpAsync(connection, transaction, step.Step.Timeouts, token));
            var result = await ExecuteAsync(connection, transaction, step, goOn, attempt, token);
            await _runLog.RecordStepAsync(connection, transaction, _runId, result, token);
            if (detector is not null)
            {
                await using var save = detector.SaveCommand(_runLog.Meta, step, signature!, detector.NewVersion(step, result.Rows, _runId), connection, transaction);
                await save.ExecuteNonQueryAsync(token);
            }
            await transaction.CommitAsync(token);
            await AppendExecutedAsync(step, attempt.Executed);
            return result;
        }, ct).AsTask(), undo: null, ct));
        if (result.Succeeded && step.IndexSql is { } indexes) IndexesAfterCommit(step, indexes, ct);
        return result.Failure?.Kind == FailureKind.DataTests && _failures.KeepsAfterFailure(step) ? await KeepFailedAsync(step, result, ct) : result;
    }

    /// <summary>
    /// A committed step's <c>indexes:</c>, in a transaction of their own on another connection,
    /// while the steps after it start (<see cref="Sql.MaterializationSql.Indexes"/>). They are
    /// built when the step has just created its table, else found in the catalog. One that fails
    /// (or that a stopped run never sent) costs a warning: the data is committed, and the step's
    /// next run builds the index. <see cref="IndexBuildsAsync"/> waits for them.
    /// </summary>
    private void IndexesAfterCommit(RenderedStep step, string sql, CancellationToken ct)
    {
        var build = Task.Run(async () =>
        {
            try
            {
                // The step's own lock_timeout and lock_wait_limit: CREATE INDEX waits for the writers of the table.
                await _locks.RetryAsync(new StepLockWaits(step.Step), async () =>
                {
                    await using var connection = await _dataSource.OpenConnectionAsync(ct);
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    await LockWaits.SetUpAsync(connection, transaction, step.Step.Timeouts, ct);
                    await using (var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 })
                        await command.ExecuteNonQueryAsync(ct);
                    await transaction.CommitAsync(ct);
                    return true;
                }, undo: null, ct);
            }
            catch (Exception error) when (error is PostgresException or NpgsqlException or OperationCanceledException or LockWaitTooLong)
            {
                _log.Warning("Step {Step}: its indexes were not built ({Error}); its next run builds them", step.Step.Id,
                    error is PostgresException server ? ServerErrorText.Of(server, sql).Message : error.Message);
            }
        }, CancellationToken.None);
        lock (_indexBuildsGate) _indexBuilds.Add(build);
    }

    private Task _renderedFiles = Task.CompletedTask;

    /// <summary>
    /// Writes each step's SQL as rendered into target/rendered/ while the first steps run (46 files,
    /// about 5 ms that no step needs to wait for); a step's own writes there (the statements it
    /// chose, what it executed) wait for them, as does the end of the run. A file that cannot be
    /// written costs a warning, never the run: it is a copy for reading, and the steps run from memory.
    /// </summary>
    public void WriteRenderedFiles(IReadOnlyList<RenderedStep> steps) => _renderedFiles = Task.Run(() =>
    {
        foreach (var step in steps) WriteRendered(step, step.Sql, append: false);
    });

    private int _renderedWarned;

    /// <summary>Writes (or appends to) a step's file in target/rendered/; one that cannot be written costs a warning, once per run.</summary>
    private void WriteRendered(RenderedStep step, string text, bool append)
    {
        var path = step.RenderedPath(_rootDir);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (append) File.AppendAllText(path, text);
            else File.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Interlocked.Exchange(ref _renderedWarned, 1) == 0)
                _log.Warning("The rendered SQL could not be written to {Dir}: {Reason}", Path.Combine(_rootDir, "target", "rendered"), e.Message);
        }
    }

    /// <summary>Waits for <see cref="WriteRenderedFiles"/>.</summary>
    public Task RenderedFilesAsync() => _renderedFiles;

    /// <summary>Waits for the index builds started after the steps committed (a run ends when they have).</summary>
    public async Task IndexBuildsAsync()
    {
        Task[] builds;
        lock (_indexBuildsGate) builds = [.. _indexBuilds];
        await Task.WhenAll(builds);
    }

    /// <summary>
    /// A step rolled back for its tests leaves its offending rows (and with --keep-failed its rows)
    /// in the failures schema, in a transaction of its own; the failure's hint says where. Keeping
    /// is a courtesy: when it fails, the step's result stays as it was and the log says why.
    /// </summary>
    private async Task<StepResult> KeepFailedAsync(RenderedStep step, StepResult result, CancellationToken ct)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var settings = new NpgsqlCommand(Sql.MaterializationSql.Settings(_project, step.Step) + "SELECT 1", connection, transaction))
                await settings.ExecuteNonQueryAsync(ct);
            var rows = await _failures.KeepAfterFailureAsync(connection, transaction, step, ct);
            await transaction.CommitAsync(ct);
            _log.Information("Step {Step}: kept {Rows} rows of what failed in {Schema}", step.Step.Id, rows, _project.FailuresSchema.Name);
            return result with { Failure = result.Failure! with { Hint = $"{result.Failure.Hint}; what failed is kept in schema {_project.FailuresSchema.Name} (docs/authoring.md, Keep what failed)" } };
        }
        catch (Exception error) when (error is PostgresException or NpgsqlException)
        {
            _log.Warning("Step {Step}: could not keep what failed in {Schema}: {Error}", step.Step.Id, _project.FailuresSchema.Name, error.Message);
            return result;
        }
    }

    public async Task<IAtomicTransaction> BeginAtomicAsync(CancellationToken ct)
    {
        var connection = await _dataSource.OpenConnectionAsync(ct);
        try
        {
            return new AtomicTransaction(this, connection, await connection.BeginTransactionAsync(ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Failed and skipped steps are logged outside their (rolled back) transaction, and even when
    /// the run was cancelled: the log must say what became of every step.
    /// </summary>
    public async Task RecordAsync(StepResult result) =>
        await LostConnection.TolerateAsync(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(CancellationToken.None);
            await _runLog.RecordStepAsync(connection, null, _runId, result, CancellationToken.None);
        });

    private async Task<StepResult> UnchangedAsync(RenderedStep step, ChangeDetector detector, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        detector.Skipped(step);
        var unchanged = new StepResult(step.Step.Id, StepStatus.Unchanged, 0, 0, SqlHash: step.Hash, StartedAt: now, FinishedAt: now);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await _runLog.RecordStepAsync(connection, null, _runId, unchanged, ct);
        return unchanged;
    }

    /// <summary>
    /// The step routine of both schedules, on a transaction the caller owns (and commits): send
    /// the step's SQL, then its data tests inside the same transaction (SPEC §11: a mart that
    /// fails a test is never published).
    /// </summary>
    private async Task<StepResult> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RenderedStep step, bool goOn,
        StepAttempt attempt, CancellationToken ct)
    {
        await UsePseudonymKeyAsync(connection, transaction, step, ct);
        var (rows, wentOn, warning) = await ExecuteChoosingAsync(connection, transaction, step, goOn, attempt, ct);
        var erased = step.Extract is { Config.People: true } people ? await ErasedPeopleAsync(connection, transaction, people, ct) : (long?)null;
        var tests = await DataTestRunner.RunAsync(connection, transaction, step, ct, recomputedOnly: wentOn);
        if (tests.Any(t => t.Blocks)) throw new DataTestFailure(tests);
        await _failures.StoreAsync(connection, transaction, step, ct);
        if (warning is not null) _log.Warning("Step {Step}: {Warning}", step.Step.Id, warning);
        return new StepResult(step.Step.Id, StepStatus.Success, rows, attempt.Seconds, SqlHash: step.Hash,
            StartedAt: attempt.Started, FinishedAt: DateTimeOffset.UtcNow, Tests: tests, Warning: warning, ErasedPeople: erased);
    }

    /// <summary>The people a <c>people: true</c> extract step removed in this transaction (a count, never who).</summary>
    private static async Task<long> ErasedPeopleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Sql.ExtractPlan plan, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(plan.ErasedPeopleQuery, connection, transaction);
        return await command.ExecuteScalarAsync(ct) is long count ? count : 0;
    }

    /// <summary>
    /// A step that computes pseudonyms gets the key in its transaction (transaction-local, as a
    /// bind parameter: never in SQL text, so never in pg_stat_activity, rendered files or logs).
    /// </summary>
    private async Task UsePseudonymKeyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RenderedStep step, CancellationToken ct)
    {
        if (!step.UsesPseudonyms) return;
        var key = _pseudonymKey ?? throw new InvalidOperationException($"step {step.Step.Id} computes pseudonyms but the run was given no key");
        await using var command = new Pseudonyms(_project.MetaSchema).UseKey(key, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// What the meta schema's procedures executed for the step follows its SQL in target/rendered/,
    /// as comments after the last line, so the lines that errors point to stay where they are.
    /// </summary>
    private async Task AppendExecutedAsync(RenderedStep step, IReadOnlyList<string> executed)
    {
        if (executed.Count == 0) return;
        await _renderedFiles;
        if (File.Exists(step.RenderedPath(_rootDir))) WriteRendered(step, MetaAnswer.CommentBlock(executed), append: true);
    }

    /// <summary>
    /// Turns what can go wrong with a step (its SQL, its data tests, its source, the connection, a
    /// cancel) into a failed result; anything else is a bug and propagates.
    /// </summary>
    private async Task<StepResult> GuardAsync(RenderedStep step, Func<StepAttempt, Task<StepResult>> run)
    {
        var attempt = new StepAttempt(step.Sql);
        try
        {
            return await run(attempt);
        }
        catch (Exception error) when (error is PostgresException or NpgsqlException or OperationCanceledException or DataTestFailure
            or Extraction.SourceException or LockWaitTooLong)
        {
            return Failed(step, attempt, error);
        }
    }

    /// <summary>
    /// An incremental step with a scope goes on from its last run only when <paramref name="goOn"/>
    /// (its other inputs are unchanged) and the database agrees (its table and change logs are intact).
    /// </summary>
    /// <returns>The rows written, whether the step went on from its last run (recomputing its scope only), and its warning.</returns>
    private async Task<(long Rows, bool WentOn, string? Warning)> ExecuteChoosingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        RenderedStep step, bool goOn, StepAttempt attempt, CancellationToken ct)
    {
        attempt.Executed.Clear();
        if (step.Extract is { } plan)
        {
            var extracted = await (_extractor ?? throw new InvalidOperationException("extract step without an extractor"))
                .RunAsync(connection, transaction, plan, attempt.Executed, ct);
            return (extracted.Rows, false, extracted.Warning);
        }
        if (step is not { FullSql: { } full, ReadinessSql: { } readiness })
            return (await SendAsync(connection, transaction, step.Sql, attempt.Executed, ct), false, null);
        if (goOn)
        {
            await using var ready = new NpgsqlCommand(readiness, connection, transaction);
            goOn = (bool)(await ready.ExecuteScalarAsync(ct))!;
        }
        _log.Debug("Step {Step}: {How}", step.Step.Id, goOn ? "recomputing the keys in its scope" : "recomputing everything");
        // STYLE.md: the file in target/rendered/ is what ran, and errors point into it. The run
        // wrote the statements that go on from the last run; this step may send the others.
        attempt.Sent = goOn ? step.Sql : full;
        await _renderedFiles;
        WriteRendered(step, attempt.Sent, append: false);
        return (await SendAsync(connection, transaction, attempt.Sent, attempt.Executed, ct), goOn, null);
    }

    /// <summary>
    /// The step's statements as one batch (one round trip, STYLE.md): a failing statement comes
    /// back as its batch command, which <see cref="SqlErrorLocator"/> finds in the text again.
    /// </summary>
    private static async Task<long> SendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        List<string> executed, CancellationToken ct)
    {
        await using var command = new NpgsqlBatch(connection, transaction) { Timeout = 0 };
        foreach (var statement in Sql.SqlStatements.Split(sql)) command.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text(sql)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        long? materialized = null;
        do
        {
            // The CALL of an upsert/replace answers with the rows it wrote and the statements it ran.
            if (await MetaAnswer.ReadAsync(reader, ct) is { } answer)
            {
                materialized = answer.Rows;
                executed.AddRange(answer.Statements);
            }
        } while (await reader.NextResultAsync(ct));
        return materialized ?? Math.Max(0, reader.RecordsAffected);
    }

    private StepResult Failed(RenderedStep step, StepAttempt attempt, Exception error)
    {
        var file = DisplayPath.Of(step.RenderedPath(_rootDir));
        var failure = error switch
        {
            LockWaitTooLong w => StepTimeouts.LockWaitFailure(w, SqlFailure(step, attempt.Sent, file, w.Error)),
            PostgresException p when StepTimeouts.IsStatementTimeout(p, step.Step, attempt.Seconds) =>
                StepTimeouts.StatementFailure(step.Step, SqlFailure(step, attempt.Sent, file, p)),
            PostgresException p when NameClash.Explain(p, step.Step, _project) is { } clash =>
                SqlFailure(step, attempt.Sent, file, p) with { Message = clash.Message, Detail = null, Hint = clash.Hint },
            // A terminated backend (57P01…) arrives as a PostgresException but is a lost connection, not the SQL's fault.
            PostgresException p when !DatabaseErrors.IsTransient(p) => SqlFailure(step, attempt.Sent, file, p),
            Extraction.SourceException s => new StepFailure(FailureKind.Source, s.Message, step.Step.Extract?.Span, Hint: s.Hint),
            DataTestFailure f => new StepFailure(FailureKind.DataTests, f.Message, f.Results.First(r => r.Blocks).Span,
                Hint: "the step was rolled back: its previous content stays published"),
            OperationCanceledException => new StepFailure(FailureKind.Cancelled, "cancelled; the step was rolled back"),
            _ => new StepFailure(FailureKind.LostConnection,
                $"lost the connection to the database: {(error is PostgresException lost ? ServerErrorText.Of(lost, attempt.Sent).Message : error.Message)}", SqlState: (error as PostgresException)?.SqlState,
                Hint: "the step was rolled back; run again (or --resume) when the server is back"),
        };
        // A server error's own text may quote row values (SPEC §9.6): the log gets the failure as worded above.
        if (error is PostgresException) _log.Debug("Step {Step} failed: {Error}", step.Step.Id, failure.Text);
        else _log.Debug(error, "Step {Step} failed", step.Step.Id);
        return new StepResult(step.Step.Id, StepStatus.Failed, 0, attempt.Seconds, failure, step.Hash, attempt.Started, DateTimeOffset.UtcNow,
            (error as DataTestFailure)?.Results);
    }

    /// <summary>
    /// A SQL error points at the template line the user edits when a template wrote the failing
    /// text, with the rendered file's line beside it; else (the engine's own wrapper) at the rendered file.
    /// </summary>
    private static StepFailure SqlFailure(RenderedStep step, string sent, string renderedFile, PostgresException error)
    {
        var offset = SqlErrorLocator.Offset(error, sent);
        var rendered = SqlErrorLocator.SpanAt(sent, offset, renderedFile);
        var template = step.TemplateSpanOf(sent, offset);
        // SPEC §9.6: no row value in any log; from here on the failure holds the server's texts without them.
        var text = ServerErrorText.Of(error, sent);
        return new StepFailure(FailureKind.Sql, text.Message, template ?? rendered, error.SqlState, text.Detail, text.Hint)
        {
            RenderedSpan = template is null ? null : rendered,
        };
    }

    /// <summary>One step as it runs: when it started, and the SQL last sent, which its errors point into.</summary>
    private sealed class StepAttempt(string sql)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;
        public double Seconds => _clock.Elapsed.TotalSeconds;
        public string Sent { get; set; } = sql;

        /// <summary>The statements the meta schema's procedures ran for the step (MetaAnswer), for target/rendered/.</summary>
        public List<string> Executed { get; } = [];
    }
}
