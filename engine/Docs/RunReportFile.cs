using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;
using Npgsql;

namespace Lacrei.Engine.Docs;

/// <summary><c>engine runs --report RUN_ID --out report.html</c>: reads the run from the run log and writes its timeline.</summary>
public static class RunReportFile
{
    public sealed record Written(string RunId, int Steps, string Path);

    /// <param name="dag">The pipeline's DAG, for the critical path; a pipeline that no longer renders
    /// still gets its report, with the path reduced to the longest single step.</param>
    public static async Task<Written> WriteAsync(NpgsqlConnection connection, Identifier meta, string runId, string? output,
        string currentDirectory, Func<Dag> dag, CancellationToken ct)
    {
        Dag? graph;
        try { graph = dag(); }
        catch (PipelineException) { graph = null; }
        var run = await RunTimeline.ReadAsync(connection, meta, runId, graph, ct);
        var path = Path.GetFullPath(output ?? $"run-{run.RunId}.html", currentDirectory);
        if (Path.GetDirectoryName(path) is { } dir) Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(path, RunReportHtml.Render(run), new System.Text.UTF8Encoding(false), ct);
        return new Written(run.RunId, run.Steps.Count, path);
    }
}
