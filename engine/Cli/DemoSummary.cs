using System.Text;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Templating;
using Npgsql;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli;

/// <summary>What the demo prints after the run: rows per layer, then the first rows of every table of the last layer.</summary>
internal static class DemoSummary
{
    private const int SampleRows = 5;

    public static async Task WriteAsync(TextWriter output, NpgsqlDataSource dataSource, Workspace workspace, RunResult result, CancellationToken ct)
    {
        await output.WriteLineAsync();
        foreach (var layer in workspace.Project.Config.Layers)
        {
            var steps = result.Steps.Where(s => s.Step.Layer == layer.Name).ToList();
            var tableRows = 0L;
            foreach (var step in layer.Steps.Where(s => s.Materialize != Config.Materialization.Script))
                tableRows += await ScalarAsync(dataSource, $"SELECT count(*) FROM {workspace.Project.TableOf(step)}", ct);
            await output.WriteLineAsync($"{layer.Name,-10} {steps.Count,3} steps  {tableRows,9} rows in its tables  {steps.Sum(s => s.Seconds),6:0.00}s");
        }
        var last = workspace.Project.Config.Layers[^1];
        foreach (var step in last.Steps.Where(s => s.Materialize != Config.Materialization.Script))
        {
            var table = workspace.Project.TableOf(step);
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{step.Id} ({await ScalarAsync(dataSource, $"SELECT count(*) FROM {table}", ct)} rows){(step.Description is null ? "" : " — " + step.Description)}");
            await using var command = dataSource.CreateCommand($"SELECT * FROM {table} ORDER BY 1, 2 LIMIT {SampleRows}");
            await using var reader = await command.ExecuteReaderAsync(ct);
            await output.WriteAsync(await FormatAsync(reader, ct));
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A plain text table, columns as wide as their widest value.</summary>
    private static async Task<string> FormatAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string[]> { header };
        while (await reader.ReadAsync(ct))
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => Diagnostics.ValueText.Format(reader.IsDBNull(i) ? null : reader.GetValue(i)) ?? "").ToArray());
        var widths = header.Select((_, i) => rows.Max(r => Math.Min(24, r[i].Length))).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
            text.Append("  ").AppendJoin(" | ", row.Select((v, i) => (v.Length > 24 ? v[..23] + "…" : v).PadRight(widths[i]))).Append('\n');
        return text.ToString();
    }
}
