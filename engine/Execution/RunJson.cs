using System.Globalization;
using System.Text;
using System.Text.Json;
using Lacrei.Engine.Quality;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Execution;

/// <summary>Writes the machine-readable run result in the exact shape of SPEC §10.</summary>
public static class RunJson
{
    public static string Write(RunResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("run_id", result.RunId);
            json.WriteString("status", result.Status.Text());
            json.WriteString("started_at", Time(result.StartedAt));
            json.WriteString("finished_at", Time(result.FinishedAt));
            json.WriteString("trigger", result.Trigger);
            json.WriteString("selection", result.Selection);
            json.WriteStartObject("layers");
            foreach (var layer in result.Steps.GroupBy(s => s.Step.Layer))
            {
                json.WriteStartObject(layer.Key);
                json.WriteNumber("rows", layer.Sum(s => s.Rows));
                json.WriteNumber("steps", layer.Count());
                // The sum of the steps' seconds as written (and as the run log keeps them).
                json.WriteNumber("seconds", Math.Round(layer.Sum(s => Math.Round(s.Seconds, 3)), 3));
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartArray("steps");
            foreach (var step in result.Steps)
            {
                json.WriteStartObject();
                json.WriteString("step", step.Step.ToString());
                json.WriteString("status", step.Status.Text());
                json.WriteNumber("rows", step.Rows);
                json.WriteNumber("seconds", Math.Round(step.Seconds, 3));
                if (step.Failure is null) json.WriteNull("error"); else json.WriteString("error", step.Failure.Text);
                if (step.Failure?.Span is { } span) json.WriteString("error_location", span.ToString());
                if (step.SqlHash is not null) json.WriteString("sql_hash", step.SqlHash);
                if (step.Warning is not null) json.WriteString("warning", step.Warning);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            var tests = result.Tests.ToList();
            json.WriteStartObject("tests");
            json.WriteNumber("passed", tests.Count(t => t.Status == TestStatus.Passed));
            json.WriteNumber("failed", tests.Count(t => t.Status == TestStatus.Failed));
            json.WriteNumber("warned", tests.Count(t => t.Status == TestStatus.Warned));
            json.WriteStartArray("results");
            foreach (var test in tests.Where(t => t.Status != TestStatus.Passed)) WriteTest(json, test);
            json.WriteEndArray();
            json.WriteEndObject();
            if (result.ErasedPeople is { } erased) json.WriteNumber("erased_people", erased);
            if (result.Rejects is { } rejects)
            {
                json.WriteNumber("rejected_rows", result.RejectedRows);
                json.WriteStartArray("rejects");
                foreach (var reject in rejects)
                {
                    json.WriteStartObject();
                    json.WriteString("step", reject.Step);
                    json.WriteString("reason", reject.Reason);
                    json.WriteNumber("rows", reject.Rows);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// ISO 8601 to the microsecond: the run log's precision (timestamptz), so a result rebuilt from
    /// the log reads the same as the one the run returned.
    /// </summary>
    public static string Time(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);

    /// <summary>A failed or warned test: which, how many rows, and up to five (masked) samples.</summary>
    private static void WriteTest(Utf8JsonWriter json, DataTestResult test)
    {
        json.WriteStartObject();
        json.WriteString("step", test.Step.ToString());
        json.WriteString("test", test.Name);
        json.WriteString("status", test.Status.ToString().ToLowerInvariant());
        json.WriteNumber("failures", test.Failures);
        if (test.Error is not null) json.WriteString("error", test.Error);
        json.WriteStartArray("sample");
        foreach (var row in test.Samples)
        {
            json.WriteStartObject();
            foreach (var (column, value) in row)
                if (value is null) json.WriteNull(column); else json.WriteString(column, value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
