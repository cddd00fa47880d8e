using Lacrei.Engine.Quality;

namespace Lacrei.Engine.Cli;

/// <summary>Data test outcomes for humans: one line per test, and for failures the count and samples.</summary>
internal static class TestReport
{
    public static async Task WriteLineAsync(TextWriter output, DataTestResult test)
    {
        var status = test.Status switch { TestStatus.Passed => "pass", TestStatus.Warned => "WARN", _ => "FAIL" };
        var detail = test.Error ?? (test.Failures == 0 ? "" : $"{test.Failures} offending rows");
        await output.WriteLineAsync($"  {status}  {test.Step,-40} {test.Name,-50} {detail}");
    }

    public static async Task WriteProblemsAsync(TextWriter output, IEnumerable<DataTestResult> tests)
    {
        foreach (var test in tests.Where(t => t.Status != TestStatus.Passed))
        {
            var verdict = test.Status == TestStatus.Warned ? "warning" : "error";
            await output.WriteLineAsync($"{test.Span}: {verdict}: test {test.Name} of {test.Step} " +
                                        (test.Error ?? $"found {test.Failures} offending rows"));
            if (test.Samples.Count == 0) continue;
            var columns = test.Samples[0].Select(c => c.Key).ToList();
            var widths = columns.Select(c => Math.Min(30, Math.Max(c.Length, test.Samples.Max(r => Cell(r, c).Length)))).ToList();
            await output.WriteLineAsync("    " + string.Join(" | ", columns.Select((c, i) => c.PadRight(widths[i]))));
            foreach (var row in test.Samples)
                await output.WriteLineAsync("    " + string.Join(" | ", columns.Select((c, i) => Clip(Cell(row, c), widths[i]))));
            if (test.Failures > test.Samples.Count) await output.WriteLineAsync($"    … and {test.Failures - test.Samples.Count} more");
        }
    }

    private static string Cell(IReadOnlyList<KeyValuePair<string, string?>> row, string column) =>
        row.First(c => c.Key == column).Value ?? "NULL";

    private static string Clip(string value, int width) => (value.Length > width ? value[..(width - 1)] + "…" : value).PadRight(width);
}
