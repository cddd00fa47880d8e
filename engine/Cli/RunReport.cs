using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Cli;

/// <summary>The human summary of a run: every step on stdout, each failure with its place and snippet on stderr.</summary>
internal static class RunReport
{
    public static async Task WriteAsync(RunResult result, TextWriter output, TextWriter error)
    {
        foreach (var step in result.Steps)
        {
            var status = step.Status.Text();
            var tail = step.Status switch
            {
                StepStatus.Success => $"{step.Rows,9} rows {step.Seconds,8:0.000}s",
                StepStatus.Unchanged => "(inputs unchanged since its last run)",
                _ => step.Failure?.Summary.Split('\n')[0] ?? "",
            };
            await output.WriteLineAsync($"  {status,-8} {step.Step,-40} {tail}");
        }
        var seconds = (result.FinishedAt - result.StartedAt).TotalSeconds;
        await output.WriteLineAsync(
            $"run {result.RunId}: {result.Status.Text()}: {result.Steps.Count(s => s.Succeeded)} of {result.Steps.Count} steps, " +
            $"{result.Rows} rows written, {seconds:0.00}s");

        var tests = result.Tests.ToList();
        if (tests.Count > 0)
            await output.WriteLineAsync($"data tests: {tests.Count(t => t.Status == Quality.TestStatus.Passed)} passed, " +
                                        $"{tests.Count(t => t.Status == Quality.TestStatus.Failed)} failed, {tests.Count(t => t.Status == Quality.TestStatus.Warned)} warned");
        if (result.RejectedRows > 0)
            await output.WriteLineAsync($"rejected source rows: {result.RejectedRows} (" +
                string.Join("; ", result.Rejects!.Select(r => $"{r.Step}: {r.Reason}: {r.Rows}")) + ")");

        // SPEC §9.6 erasure report: how many, never who.
        if (result.ErasedPeople is > 0 and var erased)
            await output.WriteLineAsync($"people erased: {erased} (removed in the source; counted, never named)");
        foreach (var warned in result.Steps.Where(s => s.Warning is not null))
            await error.WriteLineAsync($"warning: step {warned.Step}: {warned.Warning}");

        await TestReport.WriteProblemsAsync(error, tests);
        foreach (var failed in result.Steps.Where(s => s.Status == StepStatus.Failed))
        {
            var failure = failed.Failure;
            await error.WriteLineAsync(ErrorFormatter.Format(failure?.Span, $"step {failed.Step} failed: {failure?.Summary}", failure?.Hint,
                also: failure?.RenderedSpan));
        }
    }
}
