using System.Text.Json.Nodes;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Server;

/// <summary>
/// A run this server started, as it goes: fed by the runner's progress callbacks (from several
/// step tasks at once), read by <c>GET /api/etl/runs/{id}</c> while the portal polls it.
/// </summary>
internal sealed class LiveRun(string runId, string selection, IReadOnlyList<StepId> selected) : IRunProgress
{
    private readonly Lock _gate = new();
    private readonly Dictionary<StepId, StepResult> _finished = [];
    private readonly HashSet<StepId> _running = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunResult? _result;
    private (ErrorKind? Kind, string Message, DateTimeOffset At)? _failure;

    public string RunId => runId;
    public string Selection => selection;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Completes once the run holds the lock and is in the run log: it really started.</summary>
    public Task Started => _started.Task;

    public (ErrorKind? Kind, string Message)? Failure { get { lock (_gate) return _failure is { } f ? (f.Kind, f.Message) : null; } }

    public bool Finished { get { lock (_gate) return _result is not null || _failure is not null; } }

    public RunStatus Status { get { lock (_gate) return StatusNow; } }

    private RunStatus StatusNow => _result?.Status ?? (_failure is null ? RunStatus.Running : RunStatus.Failed);

    public void RunStarted(string id, int steps) => _started.TrySetResult();

    public void StepStarted(StepId step) { lock (_gate) _running.Add(step); }

    public void StepFinished(StepResult result)
    {
        lock (_gate)
        {
            _running.Remove(result.Step);
            _finished[result.Step] = result;
        }
    }

    public void Complete(RunResult result) { lock (_gate) _result = result; }

    /// <summary>The run could not start or was stopped before it finished; the message is what a user sees.</summary>
    public void Fail(ErrorKind? kind, string message) { lock (_gate) _failure = (kind, message, DateTimeOffset.UtcNow); }

    /// <summary>This run as a row of the run list, for the moments before (or instead of) its row in the run log.</summary>
    public RunRow Row()
    {
        lock (_gate)
        {
            var steps = _result?.Steps ?? [.. _finished.Values];
            DateTimeOffset? finished = _result?.FinishedAt ?? _failure?.At;
            return new RunRow(runId, "http", selection, StatusNow.Text(), StartedAt, finished,
                finished is { } end ? Math.Round((end - StartedAt).TotalSeconds, 3) : null,
                selected.Count, steps.Count(s => s.Status == StepStatus.Failed), steps.Sum(s => s.Rows),
                _failure?.Message ?? steps.FirstOrDefault(s => s.Status == StepStatus.Failed)?.Failure?.Text);
        }
    }

    /// <summary>
    /// The SPEC §10 result. While running: the steps done so far as §10 has them, then the
    /// others as <c>running</c> or <c>pending</c>, with <c>status: running</c> and no finish time.
    /// </summary>
    public string ToJson()
    {
        lock (_gate)
        {
            if (_result is not null) return RunJson.Write(_result);
            var done = selected.Where(_finished.ContainsKey).Select(s => _finished[s]).ToList();
            var partial = new RunResult(runId, "http", selection, StartedAt, DateTimeOffset.UtcNow, done);
            var json = JsonNode.Parse(RunJson.Write(partial))!.AsObject();
            json["status"] = StatusNow.Text();
            json["finished_at"] = _failure is { } f ? f.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : null;
            var written = json["steps"]!.AsArray().ToDictionary(s => s!["step"]!.GetValue<string>(), s => s!);
            var steps = new JsonArray();
            foreach (var step in selected)
            {
                if (written.TryGetValue(step.ToString(), out var node)) steps.Add(node.DeepClone());
                else steps.Add((JsonNode)new JsonObject
                {
                    ["step"] = step.ToString(),
                    ["status"] = _running.Contains(step) ? "running" : "pending",
                    ["rows"] = 0,
                    ["seconds"] = 0,
                    ["error"] = null,
                });
            }
            json["steps"] = steps;
            if (_failure is { } failure) json["error"] = failure.Message;
            return json.ToJsonString(ApiEndpoints.Indented);
        }
    }
}
