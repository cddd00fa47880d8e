using System.Diagnostics;
using Lacrei.Engine.Config;
using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Quality;
using Lacrei.Engine.Templating;
using Npgsql;
using Polly;
using Polly.Retry;
using Serilog;

namespace Lacrei.Engine.Execution;

/// <summary>
/// Runs one step as one transaction (SPEC §6): send its rendered SQL, record its run-log row,
/// commit. A failure rolls everything back and becomes a failed <see cref="StepResult"/> with
/// the file and line; a broken connection is retried with backoff, a SQL error never.
/// </summary>
public sealed class StepExecutor
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly RunLog _runLog;
    private readonly string _rootDir;
    private readonly ILogger _log;
    private readonly ResiliencePipeline _retry;

    private readonly Extraction.Extractor? _extractor;

    /// <summary>The pipeline, to name the other step when a failure is a clash of names PostgreSQL cut short (<see cref="NameClash"/>).</summary>
    public Project? Project { get; init; }

    public StepExecutor(NpgsqlDataSource dataSource, RunLog runLog, string rootDir, ILogger log, Extraction.Extractor? extractor = null, int retries = 3)
    {
        (_dataSource, _runLog, _rootDir, _log, _extractor) = (dataSource, runLog, rootDir, log, extractor);
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

    /// <summary>Runs a step in its own transaction, retrying the whole step when the connection fails.</summary>
    public async Task<StepResult> RunAsync(string runId, RenderedStep step, StepCache? cache, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        if (cache?.CanSkip(step) == true)
        {
            cache.Skipped(step);
            var unchanged = new StepResult(step.Step.Id, StepStatus.Unchanged, 0, 0, SqlHash: step.Hash, StartedAt: started, FinishedAt: started);
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            await _runLog.RecordStepAsync(connection, null, runId, unchanged, ct);
            return unchanged;
        }
        var signature = cache?.Signature(step);
        var clock = Stopwatch.StartNew();
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(token);
                var (rows, wentOn) = await ExecuteChoosingAsync(connection, transaction, step, goOn: cache?.CanGoOn(step) == true, token);
                // SPEC §11: tests run inside the step's transaction, so a failing mart is never published.
                var tests = await TestRunner.RunAsync(connection, transaction, step, token, recomputedOnly: wentOn);
                if (tests.Any(t => t.Blocks)) throw new DataTestFailure(tests);
                var result = new StepResult(step.Step.Id, StepStatus.Success, rows, clock.Elapsed.TotalSeconds, SqlHash: step.Hash,
                    StartedAt: started, FinishedAt: DateTimeOffset.UtcNow, Tests: tests);
                await _runLog.RecordStepAsync(connection, transaction, runId, result, token);
                if (cache is not null)
                {
                    await using var save = cache.SaveCommand(_runLog.Meta, step, signature!, cache.NewVersion(step, rows, runId), connection, transaction);
                    await save.ExecuteNonQueryAsync(token);
                }
                await transaction.CommitAsync(token);
                return result;
            }, ct);
        }
        catch (Exception error) when (error is PostgresException or NpgsqlException or OperationCanceledException or DataTestFailure or Extraction.SourceException)
        {
            return Failed(step, error, started, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Sends a step's SQL on an open transaction and returns the rows it wrote (a scoped step recomputes everything).</summary>
    public async Task<long> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RenderedStep step, CancellationToken ct) =>
        (await ExecuteChoosingAsync(connection, transaction, step, goOn: false, ct)).Rows;

    /// <summary>
    /// An incremental step with a scope goes on from its last run only when <paramref name="goOn"/>
    /// (its other inputs are unchanged) and the database agrees (its table and change logs are intact).
    /// </summary>
    /// <returns>The rows written, and whether the step went on from its last run (recomputing its scope only).</returns>
    private async Task<(long Rows, bool WentOn)> ExecuteChoosingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        RenderedStep step, bool goOn, CancellationToken ct)
    {
        if (step.Extract is { } plan)
            return (await (_extractor ?? throw new InvalidOperationException("extract step without an extractor")).RunAsync(connection, transaction, plan, ct), false);
        if (step is not { FullSql: { } full, ReadinessSql: { } readiness }) return (await SendAsync(connection, transaction, step.Sql, ct), false);
        if (goOn)
        {
            await using var ready = new NpgsqlCommand(readiness, connection, transaction);
            goOn = (bool)(await ready.ExecuteScalarAsync(ct))!;
        }
        _log.Debug("Step {Step}: {How}", step.Step.Id, goOn ? "recomputing the keys in its scope" : "recomputing everything");
        return (await SendAsync(connection, transaction, goOn ? step.Sql : full, ct), goOn);
    }

    private static async Task<long> SendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        long? materialized = null;
        do
        {
            // The CALL of an upsert/replace answers with the rows it wrote (p_rows, p_created).
            if (reader.FieldCount > 0 && reader.GetName(0) == "p_rows" && await reader.ReadAsync(ct))
                materialized = reader.GetInt64(0);
        } while (await reader.NextResultAsync(ct));
        return materialized ?? Math.Max(0, reader.RecordsAffected);
    }

    public StepResult Failed(RenderedStep step, Exception error, DateTimeOffset started, double seconds)
    {
        var file = PipelineLoader.DisplayPath(step.RenderedPath(_rootDir));
        var (message, location, hint) = error switch
        {
            // A terminated backend (57P01…) arrives as a PostgresException but is a lost connection, not the SQL's fault.
            PostgresException p when Project is not null && NameClash.Explain(p, step.Step, Project) is { } clash =>
                (clash.Message, SqlErrorLocator.Locate(p, step.Sql, file), clash.Hint),
            PostgresException p when !DatabaseErrors.IsTransient(p) => (SqlErrorLocator.Message(p), SqlErrorLocator.Locate(p, step.Sql, file), p.Hint),
            Extraction.SourceException s => (s.Message, step.Step.Extract?.Span, s.Hint),
            DataTestFailure f => (f.Message, f.Results.First(r => r.Blocks).Span, "the step was rolled back: its previous content stays published"),
            OperationCanceledException => ("cancelled; the step was rolled back", null, null),
            _ => ($"lost the connection to the database: {error.Message}", null, "the step was rolled back; run again (or --resume) when the server is back"),
        };
        _log.Debug(error, "Step {Step} failed", step.Step.Id);
        var text = hint is null ? message : $"{message}\n  hint: {hint}";
        return new StepResult(step.Step.Id, StepStatus.Failed, 0, seconds, text, location, step.Hash, started, DateTimeOffset.UtcNow,
            (error as DataTestFailure)?.Results);
    }
}
