using System.Text;
using System.Text.Json;
using static System.Net.WebUtility;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Docs;

/// <summary>
/// The site's <c>index.html</c>: the step list, the graph's container, every step's page
/// (rendered here, so the content reads without JavaScript and is searchable with Ctrl-F) and
/// the model as JSON for the script that draws the graph.
/// </summary>
public static class DocsHtml
{
    /// <summary>The id of the script element holding the JSON model.</summary>
    public const string DataElementId = "docs-data";

    public static string Render(DocsSite site, bool hasRunReport)
    {
        var html = new StringBuilder();
        html.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="lacrei-pipeline engine docs">
            <title>{HtmlEncode(site.Pipeline)} · pipeline docs</title>
            <link rel="stylesheet" href="assets/docs.css">
            </head>
            <body>
            <header class="top">
              <div class="brand"><span class="mark" aria-hidden="true"></span><h1>{HtmlEncode(site.Pipeline)}</h1><span class="tag">pipeline docs</span></div>
              <div class="stats">{Facts(site)}</div>
              {(hasRunReport ? $"""<a class="button" href="{RunReportFile}">Last run timeline →</a>""" : "")}
            </header>
            <div class="layout">
            <nav id="nav" class="sidebar" aria-label="Steps">
              <div class="search"><input id="search" type="search" placeholder="Search steps  ( / )" autocomplete="off" spellcheck="false" aria-label="Search steps by name"></div>
              <p class="db {(site.Database.Available ? "on" : "off")}">{HtmlEncode(site.Database.Available ? site.Database.Message : "Columns, test results and timings unavailable: " + site.Database.Message)}</p>
              <p id="no-match" class="no-match" hidden>No step matches.</p>

            """);
        foreach (var layer in site.Layers)
        {
            html.Append($"""  <div class="nav-layer"><h2>{HtmlEncode(layer.Name)}<span>{layer.Steps}</span></h2><ul>""").Append('\n');
            foreach (var step in site.Steps.Where(s => s.Layer == layer.Name))
                html.Append($"""    <li data-step="{HtmlEncode(step.Id)}"><a href="#{HtmlEncode(step.Id)}" data-step="{HtmlEncode(step.Id)}"><i class="dot {Status(step)}"></i><span>{HtmlEncode(step.Name)}</span></a></li>""").Append('\n');
            html.Append("  </ul></div>\n");
        }
        html.Append("""
            </nav>
            <main>
              <div class="toolbar">
                <div class="legend">
                  <span><i class="dot success"></i>succeeded</span><span><i class="dot failed"></i>failed</span>
                  <span><i class="dot skipped"></i>skipped</span><span><i class="dot unchanged"></i>unchanged</span><span><i class="dot none"></i>not run</span>
                </div>
                <div class="zoom"><button id="zoom-out" title="Zoom out">−</button><span id="zoom-level">100%</span><button id="zoom-in" title="Zoom in">+</button><button id="zoom-fit" title="Fit to width">Fit</button></div>
              </div>
              <div id="graph" class="graph"><noscript><p class="noscript">The lineage graph needs JavaScript; every step is listed on the left and its page below.</p></noscript></div>
            </main>
            </div>
            <aside id="details" class="details" aria-live="polite">

            """);
        foreach (var step in site.Steps) html.Append(StepPageHtml.Render(step, site.Database)).Append('\n');
        html.Append("</aside>\n");
        html.Append($"""<script type="application/json" id="{DataElementId}">""")
            .Append(JsonSerializer.Serialize(site, DocsJson.Default.DocsSite))
            .Append("</script>\n");
        html.Append("""
            <script src="assets/vendor/dagre.min.js"></script>
            <script src="assets/docs.js"></script>
            </body>
            </html>

            """);
        return html.ToString();
    }

    /// <summary>The last run's timeline, written beside index.html when the run log has a run.</summary>
    public const string RunReportFile = "last-run.html";

    private static string Facts(DocsSite site)
    {
        var parts = new List<string>
        {
            $"<b>{site.Steps.Count}</b> steps", $"<b>{site.Edges.Count}</b> edges", $"<b>{site.Layers.Count}</b> layers",
            $"as of {HtmlEncode(site.AsOf)}",
        };
        if (site.Target is { } target) parts.Add($"target {HtmlEncode(target)}");
        parts.Add($"generated {HtmlEncode(site.GeneratedAt)}");
        return string.Join("<i class=\"sep\">·</i>", parts);
    }

    /// <summary>A step's last status as a CSS class: success, failed, skipped, unchanged, or none when never run.</summary>
    public static string Status(StepDoc step) => step.LastRun?.Status.Text() ?? "none";
}
