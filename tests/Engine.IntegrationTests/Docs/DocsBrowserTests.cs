using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lacrei.Engine.Tests.Docs;

/// <summary>
/// The site and the run report in a real browser, opened from disk as a user would (file://):
/// the graph is drawn with every step, boxes and their text do not overlap, a click opens the
/// step's SQL. Saves the screenshots the docs show (docs/screenshots/).
/// </summary>
public sealed class DocsBrowserTests
{
    [Fact]
    public async Task Lineage_page_and_run_report_render_in_headless_chromium()
    {
        await using var chromium = await Chromium.LaunchAsync();
        await using var lacrei = await LacreiDemoDatabase.CreateAsync();
        var run = await lacrei.Engine("run", "--threads", "4");
        Assert.True(run.ExitCode == 0, run.ToString());
        var site = Path.Combine(lacrei.Dir, "site");
        Assert.Equal(0, (await lacrei.Engine("docs", "--out", site)).ExitCode);
        var report = Path.Combine(lacrei.Dir, "report.html");
        Assert.Equal(0, (await lacrei.Engine("runs", "--report", "last", "--out", report)).ExitCode);
        var dag = GeneratedSite.Workspace(lacrei.YamlPath).Dag;
        var screenshots = Repo.Path("docs", "screenshots");
        Directory.CreateDirectory(screenshots);

        var (page, errors) = await chromium.NewPageAsync(1920, 1080);
        await page.GotoAsync(new Uri(Path.Combine(site, "index.html")).AbsoluteUri);
        await Expect(page.Locator("svg#lineage")).ToBeVisibleAsync();
        var drawn = await page.Locator("svg#lineage g.node").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.dataset.step)");
        Assert.Equal(dag.Order.Select(s => s.ToString()).Order(), drawn.Order());
        Assert.Equal(dag.Edges.Length, await page.Locator("svg#lineage path.edge").CountAsync());
        Assert.Equal(["seeds", "staging1", "staging2", "model", "mart"], await page.Locator("svg#lineage .band-title").AllTextContentsAsync());
        Assert.Empty(await page.EvaluateAsync<string[]>(OverlapsScript));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "lineage.png") });

        await page.FillAsync("#search", "disability");
        var matching = dag.Order.Count(s => s.ToString().Contains("disability", StringComparison.Ordinal));
        Assert.Equal(matching, await page.Locator("#nav li:visible").CountAsync());
        Assert.Equal(dag.Order.Length - matching, await page.Locator("svg#lineage g.node.miss").CountAsync());
        await page.FillAsync("#search", "");

        await page.Locator("svg#lineage g.node[data-step='mart.patient_disability']").ClickAsync();
        var article = page.Locator("article[data-step='mart.patient_disability']");
        await Expect(article).ToBeVisibleAsync();
        await Expect(article.Locator("h2")).ToHaveTextAsync("patient_disability");
        await Expect(article.Locator("code.sql")).ToContainTextAsync("patient_disability");
        await Expect(article.Locator("code.sql")).ToContainTextAsync("lp_materialize(p_mode => 'replace'");
        Assert.True(await article.Locator("code.sql span.k").CountAsync() > 20, "the SQL keywords are highlighted");
        await Expect(article.Locator("section.columns td code").First).ToHaveTextAsync("period_month");
        Assert.EndsWith("#mart.patient_disability", page.Url);
        var selected = dag.Order.Single(s => s.ToString() == "mart.patient_disability");
        var lineage = dag.Ancestors(selected).Append(selected).ToHashSet();
        Assert.Equal(dag.Edges.Count(e => lineage.Contains(e.Upstream) && lineage.Contains(e.Step)),
            await page.Locator("svg#lineage path.edge.hot").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "step-page.png") });

        await page.Locator("article[data-step='mart.patient_disability'] .chips a").First.ClickAsync();
        await Expect(page.Locator("article[data-step='model.dim_lacreisaude_patient']")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#details")).ToBeHiddenAsync();
        Assert.Empty(errors);

        var (reportPage, reportErrors) = await chromium.NewPageAsync(1440, 900);
        await reportPage.GotoAsync(new Uri(report).AbsoluteUri);
        Assert.Equal(46, await reportPage.Locator("g.row").CountAsync());
        Assert.Equal(46, await reportPage.Locator("g.row rect.bar.success").CountAsync());
        Assert.True(await reportPage.Locator("g.row.critical").CountAsync() >= 4, "the critical path crosses the four layers");
        await reportPage.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "run-report.png"), FullPage = true });
        Assert.Empty(reportErrors);
    }

    /// <summary>Pairs of step boxes that overlap, and names wider than their box: both unreadable.</summary>
    private const string OverlapsScript = """
        () => {
          const nodes = [...document.querySelectorAll('svg#lineage g.node')].map(n => ({
            id: n.dataset.step, box: n.querySelector('rect.box').getBoundingClientRect(),
            texts: [...n.querySelectorAll('text')].map(t => t.getBoundingClientRect()) }));
          const problems = [];
          nodes.forEach((a, i) => {
            if (a.texts.some(t => t.right > a.box.right - 2 || t.left < a.box.left)) problems.push(a.id + ': text wider than its box');
            nodes.slice(i + 1).forEach(b => {
              if (a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom)
                problems.push(a.id + ' overlaps ' + b.id);
            });
          });
          return problems;
        }
        """;
}
