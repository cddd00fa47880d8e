using System.Globalization;
using System.Text;
using System.Text.Json;

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
            json.WriteString("status", result.Status);
            json.WriteString("started_at", result.StartedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("finished_at", result.FinishedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("trigger", result.Trigger);
            json.WriteString("selection", result.Selection);
            json.WriteStartObject("layers");
            foreach (var layer in result.Steps.GroupBy(s => s.Step.Layer))
            {
                json.WriteStartObject(layer.Key);
                json.WriteNumber("rows", layer.Sum(s => s.Rows));
                json.WriteNumber("steps", layer.Count());
                json.WriteNumber("seconds", Math.Round(layer.Sum(s => s.Seconds), 3));
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartArray("steps");
            foreach (var step in result.Steps)
            {
                json.WriteStartObject();
                json.WriteString("step", step.Step.ToString());
                json.WriteString("status", step.Status.ToString().ToLowerInvariant());
                json.WriteNumber("rows", step.Rows);
                json.WriteNumber("seconds", Math.Round(step.Seconds, 3));
                if (step.Error is null) json.WriteNull("error"); else json.WriteString("error", step.Error);
                if (step.ErrorLocation is not null) json.WriteString("error_location", step.ErrorLocation);
                if (step.SqlHash is not null) json.WriteString("sql_hash", step.SqlHash);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            // Data tests arrive with SPEC §11; until then none run, and the counts say so.
            json.WriteStartObject("tests");
            json.WriteNumber("passed", 0);
            json.WriteNumber("failed", 0);
            json.WriteNumber("warned", 0);
            json.WriteEndObject();
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
}
