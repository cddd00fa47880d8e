using System.Text.Json;
using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Quality;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>What <c>--resume</c> needs from the last run: its options and which steps did not succeed.</summary>
public sealed record PreviousRun(string RunId, RunStatus Status, RunRequest Request, IReadOnlyList<StepId> NotSucceeded);

/// <summary>
/// A run's results into the run log of the meta schema (<see cref="RunLogWriter"/> holds the
/// statements), and the last run back for <c>--resume</c> (through <see cref="RunLogReader"/>).
/// A successful step's row is written inside the step's own transaction, so the log never
/// claims work that was rolled back.
/// </summary>
public sealed class RunLog(Identifier meta)
{
    private readonly RunLogWriter _writer = new(meta);

    public Identifier Meta => meta;

    /// <summary>Records the start; any run still marked running cannot be (we hold the lock), so it was interrupted.</summary>
    /// <param name="secretVars">The vars whose values the log keeps as <c>***</c> (SPEC §9.6).</param>
    public Task StartAsync(NpgsqlConnection connection, string runId, string trigger, string selection, string? target,
        RunRequest request, IReadOnlyCollection<string> secretVars, DateOnly asOf, DateTimeOffset startedAt, CancellationToken ct) =>
        _writer.StartAsync(connection, runId, trigger, selection, target,
            JsonSerializer.Serialize(request.WithoutSecrets(secretVars), RunRequestJson.Default.RunRequest), asOf, startedAt, ct);

    public async Task RecordStepAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId, StepResult step, CancellationToken ct)
    {
        await _writer.RecordStepAsync(connection, transaction, new StepRecord(runId, step.Step.ToString(), step.Status, step.Rows, step.Seconds,
            step.Failure?.Text, step.Failure?.Span?.ToString(), step.SqlHash, step.StartedAt?.UtcDateTime, step.FinishedAt?.UtcDateTime, step.Warning,
            step.ErasedPeople), ct);
        if (step.Tests is { Count: > 0 } tests) await RecordTestsAsync(connection, transaction, runId, tests, ct);
    }

    public Task RecordTestsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId,
        IReadOnlyList<DataTestResult> tests, CancellationToken ct) =>
        _writer.RecordTestsAsync(connection, transaction, [.. tests.Select(t => new TestRecord(runId, t.Step.ToString(), t.Name, t.Kind,
            t.Severity.ToString().ToLowerInvariant(), t.Status.ToString().ToLowerInvariant(), t.Failures,
            JsonSerializer.Serialize(t.Samples.Select(row => row.ToDictionary(c => c.Key, c => c.Value)).ToList(), SampleJson.Default.ListDictionaryStringString),
            t.Error))], ct);

    /// <summary>Records the end with what the result holds beyond its steps, so the result rebuilt from the log is the same.</summary>
    public Task FinishAsync(NpgsqlConnection connection, RunResult result, CancellationToken ct) =>
        _writer.FinishAsync(connection, result.RunId, result.Status, result.Steps.FirstOrDefault(s => s.Status == StepStatus.Failed)?.Failure?.Text,
            result.FinishedAt, result.Rejects is { } rejects ? JsonSerializer.Serialize([.. rejects], RejectJson.Default.ListRejectCount) : null, ct);

    public async Task<PreviousRun?> LastRunAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (await new RunLogReader(meta).PreviousRunAsync(connection, ct) is not { } run) return null;
        var request = JsonSerializer.Deserialize(run.Options, RunRequestJson.Default.RunRequest)!;
        var failed = run.NotSucceeded.Select(s => { StepId.TryParse(s, out var id); return id; }).ToList();
        return new PreviousRun(run.RunId, run.Status, request, failed);
    }
}
