using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// Reads the run log (SPEC §6) for everything that shows or uses past runs: <c>engine runs</c>,
/// <c>--resume</c>, the API, the docs site, the run report and the scheduler's expected durations.
/// Read-only; <see cref="RunLogWriter"/> writes it. Statuses are compared as the enums' text.
/// </summary>
public sealed class RunLogReader(Identifier meta)
{
    private string Runs => $"{meta.Quoted}.runs";
    private string RunSteps => $"{meta.Quoted}.run_steps";
    private string TestResults => $"{meta.Quoted}.test_results";

    private const string RunColumns =
        "r.run_id, r.trigger, r.selection, r.target, r.status, r.started_at, r.finished_at, r.error, r.options::text, coalesce((r.options ->> 'threads')::int, 0), r.rejects::text";
    private const string StepColumns =
        "s.run_id, s.step, s.status, coalesce(s.rows, 0), coalesce(s.seconds, 0)::float8, s.error, s.error_location, s.sql_hash, s.started_at, s.finished_at, s.warning, s.erased_people";
    private const string TestColumns =
        "t.run_id, t.step, t.test, t.kind, t.severity, t.status, t.failures, t.sample::text, t.error, t.checked_at";

    /// <summary>Whether any run was ever recorded here (the meta tables exist).</summary>
    public async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection) { Parameters = { new() { Value = Runs } } };
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The most recent runs, newest first, with their steps counted.</summary>
    public async Task<IReadOnlyList<RunSummary>> RecentAsync(NpgsqlConnection connection, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT r.run_id, r.trigger, r.selection, r.status, r.started_at, r.finished_at,
                   count(s.step), count(s.step) FILTER (WHERE s.status = $2), coalesce(sum(s.rows), 0)::bigint, r.error
              FROM {Runs} r LEFT JOIN {RunSteps} s USING (run_id)
             GROUP BY r.run_id
             ORDER BY r.started_at DESC
             LIMIT $1
            """, connection) { Parameters = { new() { Value = limit }, new() { Value = StepStatus.Failed.Text() } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<RunSummary>();
        while (await reader.ReadAsync(ct))
            runs.Add(new RunSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), StatusText.ParseRun(reader.GetString(3)),
                reader.GetDateTime(4), NullableDate(reader, 5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), NullableText(reader, 9)));
        return runs;
    }

    /// <summary>One run, or null when the log has no such run.</summary>
    public Task<RunRecord?> RunAsync(NpgsqlConnection connection, string runId, CancellationToken ct) =>
        ReadRunAsync(connection, "r.run_id = $1", ct, runId);

    /// <summary>The run that started last (<paramref name="ended"/>: the last that is no longer running).</summary>
    public Task<RunRecord?> LatestAsync(NpgsqlConnection connection, bool ended, CancellationToken ct) => ended
        ? ReadRunAsync(connection, $"r.run_id = (SELECT run_id FROM {Runs} WHERE status <> $1 ORDER BY started_at DESC LIMIT 1)", ct, RunStatus.Running.Text())
        : ReadRunAsync(connection, $"r.run_id = (SELECT run_id FROM {Runs} ORDER BY started_at DESC LIMIT 1)", ct);

    /// <summary>A run's steps, in the order they started (those that never started last).</summary>
    public async Task<IReadOnlyList<StepRecord>> StepsAsync(NpgsqlConnection connection, string runId, CancellationToken ct) =>
        await ReadAllAsync(connection, $"SELECT {StepColumns} FROM {RunSteps} s WHERE s.run_id = $1 ORDER BY s.started_at NULLS LAST, s.step", ReadStep, ct, runId);

    /// <summary>Every step's most recent row, whatever run it was part of, by step.</summary>
    public async Task<IReadOnlyDictionary<string, StepRecord>> LastStepRunsAsync(NpgsqlConnection connection, CancellationToken ct) =>
        (await ReadAllAsync(connection, $"SELECT DISTINCT ON (s.step) {StepColumns} FROM {RunSteps} s JOIN {Runs} r USING (run_id) ORDER BY s.step, r.started_at DESC",
            ReadStep, ct)).ToDictionary(s => s.Step);

    /// <summary>A run's data test outcomes, by step, each step's in the order they were declared.</summary>
    public async Task<IReadOnlyList<TestRecord>> TestsAsync(NpgsqlConnection connection, string runId, CancellationToken ct) =>
        await ReadAllAsync(connection, $"SELECT {TestColumns} FROM {TestResults} t WHERE t.run_id = $1 ORDER BY t.step, t.ordinal, t.test", ReadTest, ct, runId);

    /// <summary>Every data test's most recent outcome, in whatever run (or <c>engine test</c>) it was checked.</summary>
    public async Task<IReadOnlyList<TestRecord>> LastTestsAsync(NpgsqlConnection connection, CancellationToken ct) =>
        await ReadAllAsync(connection, $"SELECT DISTINCT ON (t.step, t.test) {TestColumns} FROM {TestResults} t ORDER BY t.step, t.test, t.checked_at DESC", ReadTest, ct);

    /// <summary>
    /// How long each step is expected to take in a run like the next one, in seconds, by step:
    /// over the ten most recent runs, its mean in those of the same kind (a full refresh, or not),
    /// where a step found unchanged counts as taking no time; a step only ever unchanged or only
    /// run in the other kind counts as its last successful duration. A dimension that a full
    /// refresh took a second to build, and that every incremental run since skipped, is expected
    /// to take no time in the next incremental run: it no longer holds the critical path back.
    /// </summary>
    /// <param name="fullRefreshOption">The key of the runs' stored options that says whether a run was a full refresh.</param>
    public async Task<IReadOnlyDictionary<string, double>> ExpectedDurationsAsync(NpgsqlConnection connection, string fullRefreshOption, bool fullRefresh,
        CancellationToken ct) =>
        (await ReadAllAsync(connection,
            $"""
             SELECT s.step,
                    coalesce(avg(CASE WHEN s.status = $2 THEN 0 ELSE s.seconds END) FILTER (WHERE r.same_kind AND (s.status = $2 OR s.seconds IS NOT NULL)),
                             (array_agg(s.seconds ORDER BY s.finished_at DESC NULLS LAST) FILTER (WHERE s.status = $1 AND s.seconds IS NOT NULL))[1])::float8
               FROM {RunSteps} AS s
               JOIN (SELECT run_id, coalesce((options ->> $4)::boolean, false) = $3 AS same_kind
                       FROM {Runs} ORDER BY started_at DESC LIMIT 10) AS r USING (run_id)
              WHERE s.status IN ($1, $2)
              GROUP BY s.step
             """, r => (Step: r.GetString(0), Seconds: r.IsDBNull(1) ? double.NaN : r.GetDouble(1)), ct,
            StepStatus.Success.Text(), StepStatus.Unchanged.Text(), fullRefresh, fullRefreshOption))
        .Where(d => !double.IsNaN(d.Seconds)).ToDictionary(d => d.Step, d => d.Seconds);

    /// <summary>The last run that ended, with the steps of it that neither succeeded nor were unchanged.</summary>
    public async Task<PreviousRunRecord?> PreviousRunAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (await LatestAsync(connection, ended: true, ct) is not { } run) return null;
        var steps = await StepsAsync(connection, run.RunId, ct);
        return new PreviousRunRecord(run.RunId, run.Status, run.Options,
            [.. steps.Where(s => s.Status is not (StepStatus.Success or StepStatus.Unchanged)).Select(s => s.Step)]);
    }

    private async Task<RunRecord?> ReadRunAsync(NpgsqlConnection connection, string condition, CancellationToken ct, params object[] parameters) =>
        (await ReadAllAsync(connection, $"SELECT {RunColumns} FROM {Runs} r WHERE {condition}", r => new RunRecord(
            r.GetString(0), r.GetString(1), r.GetString(2), NullableText(r, 3), StatusText.ParseRun(r.GetString(4)), r.GetDateTime(5),
            NullableDate(r, 6), NullableText(r, 7), r.GetString(8), r.GetInt32(9), NullableText(r, 10)), ct, parameters)).FirstOrDefault();

    private static StepRecord ReadStep(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), StatusText.ParseStep(r.GetString(2)),
        r.GetInt64(3), r.GetDouble(4), NullableText(r, 5), NullableText(r, 6), NullableText(r, 7), NullableDate(r, 8), NullableDate(r, 9),
        NullableText(r, 10), r.IsDBNull(11) ? null : r.GetInt64(11));

    private static TestRecord ReadTest(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.GetString(4), r.GetString(5), r.GetInt64(6), r.GetString(7), NullableText(r, 8), r.GetDateTime(9));

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read,
        CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    private static string? NullableText(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static DateTime? NullableDate(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDateTime(column);
}
