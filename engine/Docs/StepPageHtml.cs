using System.Globalization;
using System.Text;
using static System.Net.WebUtility;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Docs;

/// <summary>One step's page in the site: what it is, where it sits, its columns, tests and SQL.</summary>
public static class StepPageHtml
{
    public static string Render(StepDoc step, DatabaseStatus database)
    {
        var id = HtmlEncode(step.Id);
        var html = new StringBuilder();
        html.Append($"""
            <article class="step" id="step-{id}" data-step="{id}" hidden>
              <header>
                <button class="close" title="Close (Esc)" aria-label="Close">×</button>
                <div class="crumbs"><span class="layer">{HtmlEncode(step.Layer)}</span><code>{HtmlEncode(step.Table)}</code></div>
                <h2>{HtmlEncode(step.Name)}</h2>
                {(step.Description is { } description ? $"<p class=\"description\">{HtmlEncode(description)}</p>" : "<p class=\"description none\">No description in pipeline.yaml.</p>")}
              </header>
              <dl class="facts">
                <div><dt>Materialization</dt><dd><span class="pill m-{HtmlEncode(step.Materialize)}">{HtmlEncode(step.Materialize)}</span></dd></div>
                <div><dt>Key</dt><dd>{(step.Key.Count == 0 ? "<span class=\"muted\">none</span>" : string.Join(", ", step.Key.Select(k => $"<code>{HtmlEncode(k)}</code>")))}</dd></div>
                <div><dt>Last run</dt><dd>{LastRun(step.LastRun, database)}</dd></div>
                <div><dt>SQL file</dt><dd>{(step.SqlPath.Length == 0 ? "<span class=\"muted\">none (extract)</span>" : $"<code>{HtmlEncode(step.SqlPath)}</code>")}</dd></div>
                {(step.Tags.Count == 0 ? "" : $"<div><dt>Tags</dt><dd>{string.Join(" ", step.Tags.Select(t => $"<span class=\"pill\">{HtmlEncode(t)}</span>"))}</dd></div>")}
              </dl>
              {RunError(step.LastRun)}
              <section class="lineage">
                <div><h3>Upstream <span class="count">{step.Upstream.Count}</span></h3>{Links(step.Upstream, "reads no other step")}</div>
                <div><h3>Downstream <span class="count">{step.Downstream.Count}</span></h3>{Links(step.Downstream, "no step reads it")}</div>
              </section>
              <section class="columns"><h3>Columns{(step.Columns is { Count: > 0 } c ? $" <span class=\"count\">{c.Count}</span>" : "")}</h3>{Columns(step, database)}</section>
              <section class="tests"><h3>Data tests <span class="count">{step.Tests.Count}</span></h3>{Tests(step.Tests, database)}</section>
              <section class="sql-block"><h3>SQL <span class="hint">rendered, exactly as <code>engine run</code> sends it</span><button class="copy" type="button">Copy</button></h3><pre><code class="sql">{SqlHighlighter.ToHtml(step.Sql)}</code></pre></section>
            </article>
            """);
        return html.ToString();
    }

    private static string LastRun(StepRunDoc? run, DatabaseStatus database)
    {
        if (run is null) return $"<span class=\"muted\">{(database.Available ? "never run" : "unknown (no database)")}</span>";
        var detail = run.Status is StepStatus.Success or StepStatus.Unchanged
            ? $"{Rows(run.Rows)} · {Seconds(run.Seconds)}"
            : run.Status == StepStatus.Failed ? Seconds(run.Seconds) : "";
        return $"<span class=\"badge {run.Status.Text()}\">{run.Status.Text()}</span> {detail}" +
               $"<span class=\"run-id\" title=\"run id\">{HtmlEncode(run.RunId)}</span>";
    }

    private static string RunError(StepRunDoc? run) =>
        run?.Error is { } error ? $"<div class=\"error\"><b>Last run failed</b><pre>{HtmlEncode(error)}</pre></div>" : "";

    private static string Links(IReadOnlyList<string> steps, string empty) =>
        steps.Count == 0
            ? $"<p class=\"muted\">{empty}</p>"
            : "<ul class=\"chips\">" + string.Concat(steps.Select(s =>
                $"<li><a href=\"#{HtmlEncode(s)}\" data-step=\"{HtmlEncode(s)}\">{HtmlEncode(s)}</a></li>")) + "</ul>";

    private static string Columns(StepDoc step, DatabaseStatus database)
    {
        if (step.Columns is null) return $"<p class=\"muted\">Columns unavailable: {HtmlEncode(database.Message)}.</p>";
        if (step.Columns.Count == 0) return "<p class=\"muted\">The table does not exist yet: columns appear after the step's first run.</p>";
        var rows = step.Columns.Select(c =>
            $"<tr><td><code>{HtmlEncode(c.Name)}</code>{(c.IsKey ? " <span class=\"pill key\">key</span>" : "")}</td>" +
            $"<td class=\"type\">{HtmlEncode(c.Type)}{(c.NotNull ? " <span class=\"muted\">not null</span>" : "")}</td>" +
            $"<td>{(c.Comment is { } comment ? HtmlEncode(comment) : "<span class=\"muted\">—</span>")}</td></tr>");
        return "<table><thead><tr><th>Column</th><th>Type</th><th>Description</th></tr></thead><tbody>" + string.Concat(rows) + "</tbody></table>";
    }

    private static string Tests(IReadOnlyList<TestDoc> tests, DatabaseStatus database)
    {
        if (tests.Count == 0) return "<p class=\"muted\">No data tests declared for this step.</p>";
        var rows = tests.Select(t =>
        {
            var last = t.Last is { } outcome
                ? $"<span class=\"badge {HtmlEncode(outcome.Status)}\">{HtmlEncode(outcome.Status)}</span>" +
                  (outcome.Failures > 0 ? $" {outcome.Failures.ToString("N0", CultureInfo.InvariantCulture)} offending rows" : "") +
                  $" <span class=\"muted small\" title=\"checked {outcome.CheckedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, run {HtmlEncode(outcome.RunId)}\">{outcome.CheckedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</span>" +
                  (outcome.Error is { } error ? $"<div class=\"muted small\">{HtmlEncode(error)}</div>" : "")
                : $"<span class=\"muted\">{(database.Available ? "not run yet" : "unknown")}</span>";
            return $"<tr><td><code>{HtmlEncode(t.Name)}</code></td><td>{HtmlEncode(t.Kind)}</td><td>{HtmlEncode(t.Severity)}</td><td>{last}</td></tr>";
        });
        return "<table class=\"test-table\"><thead><tr><th>Test</th><th>Kind</th><th>Severity</th><th>Last result</th></tr></thead><tbody>" + string.Concat(rows) + "</tbody></table>";
    }

    public static string Rows(long rows) => rows.ToString("N0", CultureInfo.InvariantCulture) + (rows == 1 ? " row" : " rows");

    public static string Seconds(double seconds) =>
        seconds < 1 ? $"{Math.Round(seconds * 1000).ToString(CultureInfo.InvariantCulture)} ms"
        : seconds < 60 ? $"{seconds.ToString("0.00", CultureInfo.InvariantCulture)} s"
        : $"{(int)(seconds / 60)} min {(int)Math.Round(seconds % 60)} s";
}
