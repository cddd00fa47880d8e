using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Quality;
using Npgsql;

namespace Lacrei.Engine.Server;

/// <summary>One row of <c>GET /api/etl/runs</c>.</summary>
internal sealed record RunRow(string RunId, string Trigger, string Selection, string Status, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, double? Seconds, long Steps, long Failed, long Rows, string? Error);

/// <summary>
/// Reads the run log (SPEC §6) for the API: the recent runs, and one run's SPEC §10 result
/// rebuilt from its rows — for runs of the CLI, of another server, or from before a restart.
/// Read-only; the runner alone writes the log.
/// </summary>
internal sealed partial class RunHistory(NpgsqlDataSource dataSource, Project project)
{
    private string Meta => project.MetaSchema.Quoted;

    public async Task<IReadOnlyList<RunRow>> RecentAsync(int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await LogExistsAsync(connection, ct)) return [];
        var runs = await new RunLog(project.MetaSchema).RecentAsync(connection, limit, ct);
        var errors = new Dictionary<string, string>();
        await using (var command = new NpgsqlCommand($"SELECT run_id, error FROM {Meta}.runs WHERE run_id = ANY($1) AND error IS NOT NULL", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = runs.Select(r => r.RunId).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) errors[reader.GetString(0)] = reader.GetString(1);
        }
        return runs.Select(r =>
        {
            var started = Utc(r.StartedAt);
            DateTimeOffset? finished = r.FinishedAt is { } end ? Utc(end) : null;
            return new RunRow(r.RunId, r.Trigger, r.Selection, r.Status, started, finished,
                finished is { } f ? Math.Round((f - started).TotalSeconds, 3) : null, r.Steps, r.Failed, r.Rows, errors.GetValueOrDefault(r.RunId));
        }).ToList();
    }

    /// <summary>The run's result in the shape of SPEC §10, or null when the log has no such run.</summary>
    public async Task<string?> ResultJsonAsync(string runId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await LogExistsAsync(connection, ct)) return null;
        string trigger, selection, status;
        DateTimeOffset started;
        DateTimeOffset? finished;
        List<RejectCount>? rejects;
        await using (var command = new NpgsqlCommand($"SELECT trigger, selection, status, started_at, finished_at, rejects::text FROM {Meta}.runs WHERE run_id = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = runId });
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            (trigger, selection, status) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            started = Utc(reader.GetDateTime(3));
            finished = reader.IsDBNull(4) ? null : Utc(reader.GetDateTime(4));
            rejects = reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), RejectJson.Default.ListRejectCount);
        }
        var tests = await TestsAsync(connection, runId, ct);
        var steps = await StepsAsync(connection, runId, tests, ct);
        var result = new RunResult(runId, trigger, selection, started, finished ?? DateTimeOffset.UtcNow, steps, Rejects: rejects);
        // The log's status is the truth (running, interrupted…); §10's is computed from the steps.
        var json = JsonNode.Parse(RunJson.Write(result))!.AsObject();
        json["status"] = status;
        if (finished is null) json["finished_at"] = null;
        return json.ToJsonString(ApiEndpoints.Indented);
    }

    public async Task PingAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(ct);
    }

    private async Task<List<StepResult>> StepsAsync(NpgsqlConnection connection, string runId,
        ILookup<string, TestResult> tests, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT step, status, rows, seconds, error, error_location, sql_hash, started_at, finished_at FROM {Meta}.run_steps WHERE run_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        var steps = new List<StepResult>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                if (!StepId.TryParse(reader.GetString(0), out var id)) continue;
                steps.Add(new StepResult(id, Enum.Parse<StepStatus>(reader.GetString(1), ignoreCase: true),
                    reader.IsDBNull(2) ? 0 : reader.GetInt64(2), reader.IsDBNull(3) ? 0 : (double)reader.GetDecimal(3),
                    reader.IsDBNull(4) ? null : StepFailure.Recorded(reader.GetString(4), reader.IsDBNull(5) ? null : ParseSpan(reader.GetString(5))),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)), reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8)),
                    [.. tests[id.ToString()]]));
            }
        // The pipeline's own order (layers, then steps as declared), as the live result has it.
        var order = project.Config.Steps.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
        return [.. steps.OrderBy(s => order.GetValueOrDefault(s.Step, int.MaxValue)).ThenBy(s => s.Step)];
    }

    private async Task<ILookup<string, TestResult>> TestsAsync(NpgsqlConnection connection, string runId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT step, test, kind, severity, status, failures, sample::text, error FROM {Meta}.test_results WHERE run_id = $1 ORDER BY step, ordinal, test", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        var tests = new List<TestResult>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                if (!StepId.TryParse(reader.GetString(0), out var id)) continue;
                var samples = JsonSerializer.Deserialize(reader.GetString(6), SampleJson.Default.ListDictionaryStringJsonElement) ?? [];
                tests.Add(new TestResult(id, reader.GetString(1), reader.GetString(2),
                    Enum.Parse<Severity>(reader.GetString(3), ignoreCase: true), Enum.Parse<TestStatus>(reader.GetString(4), ignoreCase: true),
                    reader.GetInt64(5),
                    [.. samples.Select(row => (IReadOnlyList<KeyValuePair<string, string?>>)
                        [.. row.Select(c => KeyValuePair.Create(c.Key, c.Value.ValueKind == JsonValueKind.Null ? null : c.Value.ToString()))])],
                    new SourceSpan("", 1, 1), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        return tests.ToLookup(t => t.Step.ToString());
    }

    private async Task<bool> LogExistsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"{Meta}.runs" });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The run log stores a location as <c>file(line,col)</c>, as <see cref="SourceSpan"/> prints it.</summary>
    private static SourceSpan? ParseSpan(string text)
    {
        var match = SpanPattern().Match(text);
        return match.Success
            ? new SourceSpan(match.Groups[1].Value, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture))
            : null;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    [GeneratedRegex(@"^(.*)\((\d+),(\d+)\)$")]
    private static partial Regex SpanPattern();
}
