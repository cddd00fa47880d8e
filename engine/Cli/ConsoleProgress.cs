using Lacrei.Engine.Config;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Cli;

/// <summary>Per-step progress on a terminal (stderr), coloured unless NO_COLOR is set.</summary>
internal sealed class ConsoleProgress(TextWriter writer, bool color) : IRunProgress
{
    private readonly Lock _gate = new();
    private int _total;
    private int _done;

    public void RunStarted(string runId, int steps) => _total = steps;

    public void StepStarted(StepId step) { }

    public void StepFinished(StepResult result)
    {
        lock (_gate)
        {
            _done++;
            var (mark, code) = result.Status switch
            {
                StepStatus.Success => ("ok  ", "32"),
                StepStatus.Unchanged => ("same", "90"),
                StepStatus.Failed => ("FAIL", "31"),
                _ => ("skip", "33"),
            };
            var status = color ? $"\u001b[{code}m{mark}\u001b[0m" : mark;
            var detail = result.Succeeded ? $"{result.Rows,8} rows {result.Seconds,7:0.00}s" : "";
            writer.WriteLine($"[{_done}/{_total}] {status} {result.Step,-40} {detail}");
        }
    }
}
