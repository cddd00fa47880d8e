using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Meta;
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
    private readonly RunLogReader _log = new(project.MetaSchema);

    public async Task<IReadOnlyList<RunRow>> RecentAsync(int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await _log.ExistsAsync(connection, ct)) return [];
        return [.. (await _log.RecentAsync(connection, limit, ct)).Select(r =>
        {
            var started = Utc(r.StartedAt);
            DateTimeOffset? finished = r.FinishedAt is { } end ? Utc(end) : null;
            return new RunRow(r.RunId, r.Trigger, r.Selection, r.Status.Text(), started, finished,
                finished is { } f ? Math.Round((f - started).TotalSeconds, 3) : null, r.Steps, r.Failed, r.Rows, r.Error);
        })];
    }

    /// <summary>The run's result in the shape of SPEC §10, or null when the log has no such run.</summary>
    public async Task<string?> ResultJsonAsync(string runId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await _log.ExistsAsync(connection, ct) || await _log.RunAsync(connection, runId, ct) is not { } run) return null;
        var tests = (await _log.TestsAsync(connection, runId, ct)).Select(ToResult).OfType<DataTestResult>().ToLookup(t => t.Step.ToString());
        var steps = (await _log.StepsAsync(connection, runId, ct)).Select(s => ToResult(s, tests)).OfType<StepResult>();
        // The pipeline's own order (layers, then steps as declared), as the live result has it.
        var order = project.Config.Steps.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var finished = run.FinishedAt is { } end ? Utc(end) : (DateTimeOffset?)null;
        var rejects = run.Rejects is { } rejectsJson ? JsonSerializer.Deserialize(rejectsJson, RejectJson.Default.ListRejectCount) : null;
        var result = new RunResult(runId, run.Trigger, run.Selection, Utc(run.StartedAt), finished ?? DateTimeOffset.UtcNow,
            [.. steps.OrderBy(s => order.GetValueOrDefault(s.Step, int.MaxValue)).ThenBy(s => s.Step)], Rejects: rejects);
        // The log's status is the truth (running, interrupted…); §10's is computed from the steps.
        var json = JsonNode.Parse(RunJson.Write(result))!.AsObject();
        json["status"] = run.Status.Text();
        if (finished is null) json["finished_at"] = null;
        return json.ToJsonString(ApiEndpoints.Indented);
    }

    public async Task PingAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(ct);
    }

    private static StepResult? ToResult(StepRecord step, ILookup<string, DataTestResult> tests) =>
        StepId.TryParse(step.Step, out var id)
            ? new StepResult(id, step.Status, step.Rows, step.Seconds,
                step.Error is { } error ? StepFailure.Recorded(error, step.ErrorLocation is { } at ? ParseSpan(at) : null) : null, step.SqlHash,
                step.StartedAt is { } started ? Utc(started) : null, step.FinishedAt is { } finished ? Utc(finished) : null, [.. tests[step.Step]],
                step.Warning, step.ErasedPeople)
            : null;

    private static DataTestResult? ToResult(TestRecord test)
    {
        if (!StepId.TryParse(test.Step, out var id)) return null;
        var samples = JsonSerializer.Deserialize(test.Sample, SampleJson.Default.ListDictionaryStringJsonElement) ?? [];
        return new DataTestResult(id, test.Test, test.Kind, Enum.Parse<Severity>(test.Severity, ignoreCase: true), Enum.Parse<TestStatus>(test.Status, ignoreCase: true),
            test.Failures,
            [.. samples.Select(row => (IReadOnlyList<KeyValuePair<string, string?>>)
                [.. row.Select(c => KeyValuePair.Create(c.Key, c.Value.ValueKind == JsonValueKind.Null ? null : c.Value.ToString()))])],
            new SourceSpan("", 1, 1), test.Error);
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
