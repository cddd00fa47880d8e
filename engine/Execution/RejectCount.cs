using System.Text.Json.Serialization;
using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>Rows that a step left out, by reason.</summary>
public sealed record RejectCount(string Step, string Reason, long Rows);

/// <summary>A run's reject counts as the run log stores them (generated: the native build has no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<RejectCount>))]
internal sealed partial class RejectJson : JsonSerializerContext;

/// <summary>
/// Reads the rejects table named by <c>rejects:</c> in pipeline.yaml (columns <c>step</c> and
/// <c>reason</c>, one row per rejected source row and reason) for the run result.
/// </summary>
public static class RejectCounts
{
    public static async Task<IReadOnlyList<RejectCount>?> ReadAsync(NpgsqlDataSource dataSource, Project project, CancellationToken ct)
    {
        if (project.Config.Rejects is not { } reference || !StepId.TryParse(reference.Text, out var id)) return null;
        var step = project.Config.Steps.First(s => s.Id == id);
        var table = project.TableOf(step);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection) { Parameters = { new() { Value = table } } })
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return [];
        await using var command = new NpgsqlCommand($"SELECT step::text, reason::text, count(*) FROM {table} GROUP BY 1, 2 ORDER BY 1, 2", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new List<RejectCount>();
        while (await reader.ReadAsync(ct)) counts.Add(new RejectCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return counts;
    }
}
