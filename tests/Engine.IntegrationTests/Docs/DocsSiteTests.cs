namespace Lacrei.Engine.Tests.Docs;

/// <summary><c>engine docs</c> (issue 9): a static site with every step, every edge, and what the database knows.</summary>
public sealed class DocsSiteTests
{
    private static readonly Dictionary<string, string?> NoDatabase = new() { ["DATABASE_URL"] = null, ["PGHOST"] = null };

    [Fact]
    public async Task Lacrei_site_contains_every_step_and_every_edge()
    {
        await using var pipeline = IsolatedPipeline.Lacrei();
        var outDir = Path.Combine(pipeline.Dir, "site");

        var docs = await pipeline.Engine("docs", "--out", outDir);

        Assert.True(docs.ExitCode == 0, docs.ToString());
        var workspace = GeneratedSite.Workspace(pipeline.YamlPath, pipeline.Overrides);
        // Every node of the lineage: the 46 steps and the 6 seeds they read.
        var steps = workspace.Dag.Order.Select(s => s.ToString()).ToList();
        var edges = workspace.Dag.Edges.Select(e => (e.Upstream.ToString(), e.Step.ToString())).ToList();
        Assert.Equal(52, steps.Count);
        Assert.Contains($"docs written to {Path.Combine(outDir, "index.html")}: 46 steps, 6 seeds, {edges.Count} edges", docs.Out);

        var site = GeneratedSite.Load(outDir);
        Assert.Equal(steps.Order(), site.JsonSteps.Order());
        Assert.Equal(edges.Order(), site.JsonEdges.Order());
        Assert.Equal(steps.Order(), site.Pages.Keys.Order());
        Assert.Equal(steps.Order(), site.NavSteps.Order());
        foreach (var (upstream, step) in edges)
        {
            Assert.Contains(upstream, site.Links(step, 0));
            Assert.Contains(step, site.Links(upstream, 1));
        }
        foreach (var step in steps)
        {
            Assert.Equal(edges.Count(e => e.Item2 == step), site.Links(step, 0).Count);
            Assert.Equal(edges.Count(e => e.Item1 == step), site.Links(step, 1).Count);
        }
    }

    [Fact]
    public async Task Site_is_offline_its_layout_library_and_licence_shipped_beside_it()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var outDir = Path.Combine(pipeline.Dir, "site");

        Assert.Equal(0, (await pipeline.Engine(NoDatabase, "docs", "--out", outDir)).ExitCode);

        var html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Contains("<script src=\"assets/vendor/dagre.min.js\"></script>", html);
        Assert.Contains("<script src=\"assets/docs.js\"></script>", html);
        Assert.Contains("<link rel=\"stylesheet\" href=\"assets/docs.css\">", html);
        Assert.StartsWith("\"use strict\";var dagre=", File.ReadAllText(Path.Combine(outDir, "assets", "vendor", "dagre.min.js")));
        Assert.Contains("Copyright (c) 2012-2014 Chris Pettitt", File.ReadAllText(Path.Combine(outDir, "assets", "vendor", "dagre.LICENSE.txt")));
        Assert.DoesNotContain("fetch(", File.ReadAllText(Path.Combine(outDir, "assets", "docs.js")));
    }

    [Fact]
    public async Task A_folder_of_other_files_is_written_only_with_force_and_a_folder_docs_wrote_is_written_again()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var outDir = Path.Combine(pipeline.Dir, "published");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "index.html"), "<p>the team's own page</p>");

        var refused = await pipeline.Engine(NoDatabase, "docs", "--out", outDir);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Equal($"error: docs --out {outDir}: the folder is not empty and was not written by engine docs\n"
            + "  hint: pick a new or empty folder, or pass --force to write the site into this one\n", refused.Error.ReplaceLineEndings("\n"));
        Assert.Equal("<p>the team's own page</p>", File.ReadAllText(Path.Combine(outDir, "index.html")));

        var forced = await pipeline.Engine(NoDatabase, "docs", "--out", outDir, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("<script src=\"assets/docs.js\"></script>", File.ReadAllText(Path.Combine(outDir, "index.html")));

        var site = Path.Combine(pipeline.Dir, "site");
        Assert.Equal(0, (await pipeline.Engine(NoDatabase, "docs", "--out", site)).ExitCode);
        Assert.True(File.Exists(Path.Combine(site, ".lacrei-docs")));
        var again = await pipeline.Engine(NoDatabase, "docs", "--out", site);
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task Without_a_database_the_site_is_built_and_says_columns_are_unavailable()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var outDir = Path.Combine(pipeline.Dir, "site");

        var docs = await pipeline.Engine(NoDatabase, "docs", "--out", outDir);

        Assert.True(docs.ExitCode == 0, docs.ToString());
        Assert.Contains("(columns unavailable: no database configured (set DATABASE_URL or pass --connection))", docs.Out);
        var site = GeneratedSite.Load(outDir);
        Assert.Equal(7, site.Pages.Count); // six steps and the seed they read
        Assert.Contains("Columns unavailable: no database configured (set DATABASE_URL or pass --connection).", site.Pages["mart.daily_revenue"]);
        Assert.Contains("<code>revenue_not_negative</code>", site.Pages["mart.daily_revenue"]);
        Assert.False(File.Exists(Path.Combine(outDir, "last-run.html")));
    }

    [Fact]
    public async Task Unreachable_database_is_a_warning_and_the_site_is_still_built()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var outDir = Path.Combine(pipeline.Dir, "site");

        var docs = await pipeline.Engine("docs", "--out", outDir, "--connection", "postgres://nobody@127.0.0.1:1/nowhere");

        Assert.True(docs.ExitCode == 0, docs.ToString());
        Assert.Contains("Writing the docs without columns, test results or timings: cannot connect to nobody@127.0.0.1:1/nowhere", docs.Error);
        Assert.Contains("Columns unavailable: cannot connect to nobody@127.0.0.1:1/nowhere", GeneratedSite.Load(outDir).Pages["staging.orders"]);
    }

    [Fact]
    public async Task After_a_run_each_step_shows_its_columns_tests_and_last_run()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var outDir = Path.Combine(pipeline.Dir, "site");

        var docs = await pipeline.Engine("docs", "--out", outDir);

        Assert.True(docs.ExitCode == 0, docs.ToString());
        var site = GeneratedSite.Load(outDir);
        var daily = site.Pages["mart.daily_revenue"];
        Assert.Contains("<tr><td><code>order_date</code> <span class=\"pill key\">key</span></td><td class=\"type\">date <span class=\"muted\">not null</span></td><td>Day of the order, in vars.timezone.</td></tr>", daily);
        Assert.Contains("<tr><td><code>revenue</code></td><td class=\"type\">numeric</td><td>Sum of completed order totals.</td></tr>", daily);
        Assert.Contains("<code>revenue_not_negative</code></td><td>expression</td><td>error</td><td><span class=\"badge passed\">passed</span>", daily);
        Assert.Contains("<span class=\"badge success\">success</span>", daily);
        Assert.Contains("<span class=\"k\">CALL</span>", daily);

        var rows = await pipeline.ScalarAsync<long>("SELECT rows FROM {meta}.run_steps WHERE step = 'mart.daily_revenue'");
        var lastRun = site.JsonStep("mart.daily_revenue").GetProperty("lastRun");
        Assert.Equal(rows, lastRun.GetProperty("rows").GetInt64());
        Assert.Equal("success", lastRun.GetProperty("status").GetString());
        Assert.Equal("passed", site.JsonStep("staging.orders").GetProperty("tests").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "unique(order_id)").GetProperty("last").GetProperty("status").GetString());
        Assert.Contains("<a class=\"button\" href=\"last-run.html\">", site.Html);
        Assert.Contains("data-step=\"mart.daily_revenue\"", File.ReadAllText(Path.Combine(outDir, "last-run.html")));
    }
}
