using System.Text.Json;
using Lacrei.Engine.Config;
using Lacrei.Engine.Quality;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>What <c>--resume</c> needs from the last run: its options and which steps did not succeed.</summary>
public sealed record PreviousRun(string RunId, string Status, RunRequest Request, IReadOnlyList<StepId> NotSucceeded);

/// <summary>A row of <c>engine runs</c>.</summary>
public sealed record RunSummary(string RunId, string Trigger, string Selection, string Status, DateTime StartedAt,
    DateTime? FinishedAt, long Steps, long Failed, long Rows);

/// <summary>
/// The run log in the meta schema (SPEC §6): a row per run and per step. A successful step's
/// row is written inside the step's own transaction, so the log never claims work that was
/// rolled back.
/// </summary>
public sealed class RunLog(Identifier meta)
{
    public Identifier Meta => meta;

    /// <summary>Whether any run was ever recorded here (the meta tables exist).</summary>
    public async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection) { Parameters = { new() { Value = Runs } } };
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private string Runs => $"{meta.Quoted}.runs";
    private string RunSteps => $"{meta.Quoted}.run_steps";

    /// <summary>Records the start; any run still marked running cannot be (we hold the lock), so it was interrupted.</summary>
    public async Task StartAsync(NpgsqlConnection connection, string runId, string trigger, string selection, string? target,
        RunRequest request, DateOnly asOf, DateTimeOffset startedAt, CancellationToken ct)
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
                        new() { Value = (object?)target ?? DBNull.Value }, new() { Value = asOf },
                        new() { Value = JsonSerializer.Serialize(request, RunRequestJson.Default.RunRequest) },
                        new() { Value = $"{Environment.MachineName}:{Environment.ProcessId}" }, new() { Value = startedAt },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task RecordStepAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId, StepResult step, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO {RunSteps} (run_id, step, status, rows, seconds, error, error_location, sql_hash, started_at, finished_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (run_id, step) DO UPDATE SET status = EXCLUDED.status, rows = EXCLUDED.rows, seconds = EXCLUDED.seconds,
                error = EXCLUDED.error, error_location = EXCLUDED.error_location, sql_hash = EXCLUDED.sql_hash,
                started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = runId }, new() { Value = step.Step.ToString() }, new() { Value = step.Status.Text() },
                new() { Value = step.Rows }, new() { Value = (decimal)Math.Round(step.Seconds, 3) },
                new() { Value = (object?)step.Failure?.Text ?? DBNull.Value }, new() { Value = (object?)step.Failure?.Span?.ToString() ?? DBNull.Value },
                new() { Value = (object?)step.SqlHash ?? DBNull.Value },
                new() { Value = (object?)step.StartedAt ?? DBNull.Value }, new() { Value = (object?)step.FinishedAt ?? DBNull.Value },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
        if (step.Tests is { Count: > 0 } tests) await RecordTestsAsync(connection, transaction, runId, tests, ct);
    }

    public async Task RecordTestsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId,
        IReadOnlyList<TestResult> tests, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO {meta.Quoted}.test_results (run_id, step, test, kind, severity, status, failures, sample, error, ordinal)
            SELECT $1, t.step, t.test, t.kind, t.severity, t.status, t.failures, t.sample::json, t.error, t.ordinal
              FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[])
                   WITH ORDINALITY AS t(step, test, kind, severity, status, failures, sample, error, ordinal)
            ON CONFLICT (run_id, step, test) DO UPDATE SET status = EXCLUDED.status, failures = EXCLUDED.failures,
                sample = EXCLUDED.sample, error = EXCLUDED.error, ordinal = EXCLUDED.ordinal, checked_at = now()
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = runId },
                new() { Value = tests.Select(t => t.Step.ToString()).ToArray() },
                new() { Value = tests.Select(t => t.Name).ToArray() },
                new() { Value = tests.Select(t => t.Kind).ToArray() },
                new() { Value = tests.Select(t => t.Severity.ToString().ToLowerInvariant()).ToArray() },
                new() { Value = tests.Select(t => t.Status.ToString().ToLowerInvariant()).ToArray() },
                new() { Value = tests.Select(t => t.Failures).ToArray() },
                new() { Value = tests.Select(t => JsonSerializer.Serialize(t.Samples.Select(row => row.ToDictionary(c => c.Key, c => c.Value)).ToList(), SampleJson.Default.ListDictionaryStringString)).ToArray() },
                new() { Value = tests.Select(t => t.Error).ToArray() },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records the end with what the result holds beyond its steps, so the result rebuilt from the log is the same.</summary>
    public async Task FinishAsync(NpgsqlConnection connection, RunResult result, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {Runs} SET status = $2, finished_at = $4, holder = NULL, error = $3, rejects = $5::jsonb WHERE run_id = $1", connection)
        {
            Parameters =
            {
                new() { Value = result.RunId }, new() { Value = result.Status.Text() },
                new() { Value = (object?)result.Steps.FirstOrDefault(s => s.Status == StepStatus.Failed)?.Failure?.Text ?? DBNull.Value },
                new() { Value = result.FinishedAt },
                new() { Value = result.Rejects is { } rejects ? JsonSerializer.Serialize([.. rejects], RejectJson.Default.ListRejectCount) : DBNull.Value },
            },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<PreviousRun?> LastRunAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT r.run_id, r.status, r.options::text,
                   coalesce(array_agg(s.step) FILTER (WHERE s.status NOT IN ('success', 'unchanged')), ARRAY[]::text[])
              FROM {Runs} r LEFT JOIN {RunSteps} s USING (run_id)
             WHERE r.run_id = (SELECT run_id FROM {Runs} WHERE status <> 'running' ORDER BY started_at DESC LIMIT 1)
             GROUP BY r.run_id, r.status, r.options
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var request = JsonSerializer.Deserialize(reader.GetString(2), RunRequestJson.Default.RunRequest)!;
        var failed = reader.GetFieldValue<string[]>(3).Select(s => { StepId.TryParse(s, out var id); return id; }).ToList();
        return new PreviousRun(reader.GetString(0), reader.GetString(1), request, failed);
    }

    public async Task<IReadOnlyList<RunSummary>> RecentAsync(NpgsqlConnection connection, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT r.run_id, r.trigger, r.selection, r.status, r.started_at, r.finished_at,
                   count(s.step), count(s.step) FILTER (WHERE s.status = 'failed'), coalesce(sum(s.rows), 0)::bigint
              FROM {Runs} r LEFT JOIN {RunSteps} s USING (run_id)
             GROUP BY r.run_id
             ORDER BY r.started_at DESC
             LIMIT $1
            """, connection) { Parameters = { new() { Value = limit } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<RunSummary>();
        while (await reader.ReadAsync(ct))
            runs.Add(new RunSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetDateTime(4), reader.IsDBNull(5) ? null : reader.GetDateTime(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));
        return runs;
    }
}
