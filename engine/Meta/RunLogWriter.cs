using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// Writes the run log in the meta schema (SPEC §6, 0001_run_log.sql, 0003_test_results.sql): a row
/// per run, per step and per data test. A successful step's rows are written inside the step's
/// own transaction, so the log never claims work that was rolled back. <see cref="RunLogReader"/> reads it.
/// </summary>
public sealed class RunLogWriter(Identifier meta)
{
    private string Runs => $"{meta.Quoted}.runs";

    /// <summary>Records the start; any run still marked running cannot be (the caller holds the run lock), so it was interrupted.</summary>
    public async Task StartAsync(NpgsqlConnection connection, string runId, string trigger, string selection, string? target,
        string options, DateOnly asOf, DateTimeOffset startedAt, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"UPDATE {Runs} SET status = 'interrupted', finished_at = coalesce(finished_at, now()), error = 'the engine stopped before the run finished' WHERE status = 'running'"),
                new NpgsqlBatchCommand($"INSERT INTO {Runs} (run_id, trigger, selection, target, as_of, options, status, started_at, holder) VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'running', $8, $7)")
                {
                    Parameters =
                    {
                        new() { Value = runId }, new() { Value = trigger }, new() { Value = selection },
                        new() { Value = (object?)target ?? DBNull.Value }, new() { Value = asOf }, new() { Value = options },
                        new() { Value = $"{Environment.MachineName}:{Environment.ProcessId}" }, new() { Value = startedAt },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task RecordStepAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, StepRecord step, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO {meta.Quoted}.run_steps (run_id, step, status, rows, seconds, error, error_location, sql_hash, started_at, finished_at, warning, erased_people)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (run_id, step) DO UPDATE SET status = EXCLUDED.status, rows = EXCLUDED.rows, seconds = EXCLUDED.seconds,
                error = EXCLUDED.error, error_location = EXCLUDED.error_location, sql_hash = EXCLUDED.sql_hash,
                started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, warning = EXCLUDED.warning,
                erased_people = EXCLUDED.erased_people
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = step.RunId }, new() { Value = step.Step }, new() { Value = step.Status.Text() },
                new() { Value = step.Rows }, new() { Value = (decimal)Math.Round(step.Seconds, 3) },
                new() { Value = (object?)step.Error ?? DBNull.Value }, new() { Value = (object?)step.ErrorLocation ?? DBNull.Value },
                new() { Value = (object?)step.SqlHash ?? DBNull.Value },
                new() { Value = (object?)step.StartedAt ?? DBNull.Value }, new() { Value = (object?)step.FinishedAt ?? DBNull.Value },
                new() { Value = (object?)step.Warning ?? DBNull.Value },
                new() { Value = (object?)step.ErasedPeople ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The outcomes of data tests (a run's, or <c>engine test</c>'s); a test checked again in the same run is overwritten.</summary>
    public async Task RecordTestsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<TestRecord> tests, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO {meta.Quoted}.test_results (run_id, step, test, kind, severity, status, failures, sample, error, ordinal)
            SELECT t.run_id, t.step, t.test, t.kind, t.severity, t.status, t.failures, t.sample::json, t.error, t.ordinal
              FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[])
                   WITH ORDINALITY AS t(run_id, step, test, kind, severity, status, failures, sample, error, ordinal)
            ON CONFLICT (run_id, step, test) DO UPDATE SET status = EXCLUDED.status, failures = EXCLUDED.failures,
                sample = EXCLUDED.sample, error = EXCLUDED.error, ordinal = EXCLUDED.ordinal, checked_at = now()
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = tests.Select(t => t.RunId).ToArray() },
                new() { Value = tests.Select(t => t.Step).ToArray() },
                new() { Value = tests.Select(t => t.Test).ToArray() },
                new() { Value = tests.Select(t => t.Kind).ToArray() },
                new() { Value = tests.Select(t => t.Severity).ToArray() },
                new() { Value = tests.Select(t => t.Status).ToArray() },
                new() { Value = tests.Select(t => t.Failures).ToArray() },
                new() { Value = tests.Select(t => t.Sample).ToArray() },
                new() { Value = tests.Select(t => t.Error).ToArray() },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records how the run ended: the first failed step's error, and the rejected rows as JSON (0007_run_results.sql).</summary>
    public async Task FinishAsync(NpgsqlConnection connection, string runId, RunStatus status, string? error, DateTimeOffset finishedAt,
        string? rejectsJson, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {Runs} SET status = $2, finished_at = $4, holder = NULL, error = $3, rejects = $5::jsonb WHERE run_id = $1", connection)
        {
            Parameters =
            {
                new() { Value = runId }, new() { Value = status.Text() }, new() { Value = (object?)error ?? DBNull.Value },
                new() { Value = finishedAt }, new() { Value = (object?)rejectsJson ?? DBNull.Value },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }
}
