using System.Text.Json;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Quality;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine test --unit</c> (issue 23): the unit tests in <c>unit_tests/</c> of the selected
/// steps, each on mock inputs in a transaction that is rolled back. Pending migrations and
/// changed seeds are applied first, as <c>run</c> does (steps call the migrations' functions and
/// read seeds). Exit 1 when a test fails, 2 when a unit-test file is wrong.
/// </summary>
internal static class UnitTestCommand
{
    public static async Task<int> RunAsync(CommandContext context, string? only, string? exclude, bool json, CancellationToken ct)
    {
        var workspace = context.BuildWorkspace(context.LoadProject());
        var project = workspace.Project;
        var seeds = workspace.Seeds.Select(s => s.Name).ToHashSet();
        var tests = UnitTestLoader.Load(project.Config, seeds);
        if (only is not null || exclude is not null)
        {
            var selected = workspace.Selector.Select(new Selector.Selection(only, exclude)).ToHashSet();
            tests = [.. tests.Where(t => selected.Contains(t.Step))];
        }
        if (tests.IsEmpty)
        {
            await context.Out.WriteLineAsync($"no unit tests{(only is null ? "" : " for this selection")} (they live in {UnitTestLoader.Folder}/*.yaml beside pipeline.yaml)");
            return ExitCodes.Success;
        }

        // Checked before anything runs, as a run does: a missing or short key is exit 2 naming the variable.
        var pseudonymKey = workspace.PseudonymKeyFor(tests.Select(t => t.Step).Distinct(), context.Environment.Variable);
        var connection = context.Connection();
        await using var dataSource = await Connections.OpenAsync(connection, ct);
        await using (await RunLock.AcquireAsync(connection.ConnectionString, project.MetaSchema, "unit-tests", wait: true,
                         project.Config.Timeouts.RunLease, context.Log, ct))
            await new Preparation(workspace, dataSource, connection, context.Log).PrepareAsync(ct);

        var runner = new UnitTestRunner(project, seeds, workspace.Run.RunId, pseudonymKey);
        var results = new List<UnitTestResult>();
        foreach (var test in tests) results.Add(await runner.RunAsync(dataSource, test, workspace.Run.AsOf, ct));

        if (json) await context.Out.WriteLineAsync(Json(results));
        else await WriteTextAsync(context.Out, results);
        var problems = results.SelectMany(r => r.Problems).ToList();
        if (problems.Count > 0) throw new PipelineException(problems);
        return results.All(r => r.Status == UnitTestStatus.Passed) ? ExitCodes.Success : ExitCodes.StepFailed;
    }

    private static async Task WriteTextAsync(TextWriter output, List<UnitTestResult> results)
    {
        foreach (var result in results.Where(r => r.Problems.IsEmpty))
        {
            var label = result.Status switch { UnitTestStatus.Passed => "PASS ", UnitTestStatus.Failed => "FAIL ", _ => "ERROR" };
            await output.WriteLineAsync($"{label} {result.Test} ({result.Test.Span})");
            foreach (var row in result.Missing) await output.WriteLineAsync($"  missing:    {row}");
            foreach (var row in result.Unexpected) await output.WriteLineAsync($"  unexpected: {row}");
            if (result.Error is { } error) await output.WriteLineAsync($"  {result.ErrorSpan}: error: {error}");
        }
        await output.WriteLineAsync($"{results.Count} unit tests: {results.Count(r => r.Status == UnitTestStatus.Passed)} passed, " +
            $"{results.Count(r => r.Status == UnitTestStatus.Failed)} failed, {results.Count(r => r.Status == UnitTestStatus.Error)} errors");
    }

    private static string Json(List<UnitTestResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("step", result.Test.Step.ToString());
                writer.WriteString("test", result.Test.Name);
                writer.WriteString("file", result.Test.Span.File);
                writer.WriteNumber("line", result.Test.Span.Line);
                writer.WriteString("status", result.Status.ToString().ToLowerInvariant());
                WriteRows(writer, "missing", result.Missing);
                WriteRows(writer, "unexpected", result.Unexpected);
                if (result.Error is { } error) writer.WriteString("error", error);
                else writer.WriteNull("error");
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRows(Utf8JsonWriter writer, string name, System.Collections.Immutable.ImmutableArray<string> rows)
    {
        writer.WriteStartArray(name);
        foreach (var row in rows)
        {
            using var document = JsonDocument.Parse(row);
            document.RootElement.WriteTo(writer);
        }
        writer.WriteEndArray();
    }
}
