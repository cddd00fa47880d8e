using System.Text;
using Lacrei.Engine.Templating;
using Npgsql;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Docs;

/// <summary>
/// Writes the site: <c>index.html</c>, its <c>assets/</c> and, when the run log has a run,
/// <c>last-run.html</c> (that run's timeline). Everything is static and relative, so the folder
/// can be opened from disk, zipped, or served by any web server.
/// </summary>
public static class DocsSiteWriter
{
    /// <summary>The file that marks a folder as written by <c>engine docs</c>, which may therefore write it again without --force.</summary>
    public const string Marker = ".lacrei-docs";

    /// <summary>Reads what the database knows (when <paramref name="connection"/> is given), then writes the site.</summary>
    public static async Task<DocsSite> GenerateAsync(string outDir, Workspace workspace, NpgsqlConnection? connection,
        DatabaseStatus database, CancellationToken ct)
    {
        var catalog = connection is null ? DocsCatalog.Empty : await DocsCatalog.ReadAsync(connection, workspace.Project, ct);
        var site = DocsSiteBuilder.Build(workspace, catalog, database, DateTimeOffset.UtcNow);
        string? report = null;
        if (connection is not null && catalog.LastRunId is { } runId)
            report = RunReportHtml.Render(await RunTimeline.ReadAsync(connection, workspace.Project.MetaSchema, runId, workspace.Dag, ct));
        await WriteAsync(outDir, site, report, ct);
        return site;
    }

    public static async Task WriteAsync(string outDir, DocsSite site, string? runReportHtml, CancellationToken ct)
    {
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, Marker),
            "This folder holds a site written by `engine docs`, which replaces its files each time.\n", new UTF8Encoding(false), ct);
        var assets = Path.Combine(outDir, "assets");
        foreach (var path in DocsAssets.All.Where(p => p != "report.css"))
        {
            var target = Path.Combine(assets, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using var source = DocsAssets.Open(path);
            await using var file = File.Create(target);
            await source.CopyToAsync(file, ct);
        }
        var reportPath = Path.Combine(outDir, DocsHtml.RunReportFile);
        if (runReportHtml is not null) await File.WriteAllTextAsync(reportPath, runReportHtml, new UTF8Encoding(false), ct);
        else if (File.Exists(reportPath)) File.Delete(reportPath);  // a stale timeline from another database would mislead
        await File.WriteAllTextAsync(Path.Combine(outDir, "index.html"), DocsHtml.Render(site, runReportHtml is not null), new UTF8Encoding(false), ct);
    }
}
