using System.CommandLine;
using System.Text.Json;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Extraction;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine freshness</c> (SPEC §8, issue 23): the age of each source table's newest row, for the
/// selected extract steps with <c>freshness:</c>. Exit 1 when one is past its error_after.
/// Reads only; nothing is written.
/// </summary>
internal static class FreshnessCommand
{
    public static Command Create(CliApp app)
    {
        var only = SelectionOptions.Only();
        var exclude = SelectionOptions.Exclude();
        var command = new Command("freshness", "Report how old each source table's newest row is (extract steps with freshness:)") { only, exclude };
        app.SetAction(command, async (context, ct) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject());
            var selected = workspace.Selector.Select(new Selector.Selection(context.Parse.GetValue(only), context.Parse.GetValue(exclude)));
            var results = await CheckAsync(context, workspace, selected, ct);
            if (context.Parse.GetValue(GlobalOptions.Json)) await context.Out.WriteLineAsync(Json(results));
            else await WriteTextAsync(context.Out, results);
            return results.Any(r => r.Status == FreshnessStatus.Error) ? ExitCodes.StepFailed : ExitCodes.Success;
        }, printsJson: true);
        return command;
    }

    public static async Task<IReadOnlyList<FreshnessResult>> CheckAsync(CommandContext context, Workspace workspace, IEnumerable<StepId> selected, CancellationToken ct)
    {
        await using var target = await Connections.OpenAsync(context.Connection(), ct);
        await using var sources = new SourceConnections(workspace.Project, context.Environment.Variable);
        return await new SourceFreshness(workspace.Project, sources, target).CheckAsync(selected.Select(id => workspace.Steps[id].Step), ct);
    }

    public static async Task WriteTextAsync(TextWriter output, IReadOnlyList<FreshnessResult> results)
    {
        if (results.Count == 0)
        {
            await output.WriteLineAsync("no selected extract step declares freshness: (extract: { ..., freshness: { warn_after: 2h, error_after: 1d } })");
            return;
        }
        foreach (var r in results)
        {
            var age = r.Age is { } value ? $"newest row {Duration.Human(value)} old (by {r.MeasuredBy})" : $"no age: {r.Problem}";
            var future = r.FutureRows > 0 ? $"; warning: {r.FutureRows} rows have a {r.MeasuredBy} after the source's clock and were not counted" : "";
            var problem = r.Age is not null && r.Problem is not null ? $"; {r.Problem}" : "";
            await output.WriteLineAsync($"{r.Status.ToString().ToLowerInvariant(),-5}  {r.Step,-40} {age}  [{Limits(r.Limits)}]{future}{problem}");
        }
        await output.WriteLineAsync($"{results.Count} sources: {results.Count(r => r.Status == FreshnessStatus.Pass)} fresh, " +
            $"{results.Count(r => r.Status == FreshnessStatus.Warn)} warned, {results.Count(r => r.Status == FreshnessStatus.Error)} stale");
    }

    private static string Limits(Freshness limits) => string.Join(", ",
        new[] { limits.WarnAfter is { } w ? $"warn after {Duration.Text(w)}" : null, limits.ErrorAfter is { } e ? $"error after {Duration.Text(e)}" : null }.OfType<string>());

    private static string Json(IReadOnlyList<FreshnessResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("step", r.Step.ToString());
                writer.WriteString("source", r.Source);
                writer.WriteString("table", r.Table);
                writer.WriteString("measured_by", r.MeasuredBy);
                if (r.Age is { } age) writer.WriteNumber("age_seconds", Math.Round(age.TotalSeconds, 3));
                else writer.WriteNull("age_seconds");
                WriteSeconds(writer, "warn_after_seconds", r.Limits.WarnAfter);
                WriteSeconds(writer, "error_after_seconds", r.Limits.ErrorAfter);
                writer.WriteNumber("future_rows", r.FutureRows);
                writer.WriteString("status", r.Status.ToString().ToLowerInvariant());
                if (r.Problem is { } problem) writer.WriteString("error", problem);
                else writer.WriteNull("error");
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteSeconds(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } v) writer.WriteNumber(name, v.TotalSeconds);
        else writer.WriteNull(name);
    }
}
