using System.Globalization;
using System.Text.RegularExpressions;
using Lacrei.Engine.Docs;

namespace Lacrei.Engine.Tests.Docs;

/// <summary><c>engine runs --report RUN_ID --out report.html</c>: a run's timeline from the run log.</summary>
public sealed partial class RunReportTests
{
    [Fact]
    public async Task Report_of_a_real_run_has_every_step_with_its_duration_and_rows()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run", "--threads", "2")).ExitCode);
        var runId = await pipeline.ScalarAsync<string>("SELECT run_id FROM {meta}.runs");
        var file = Path.Combine(pipeline.Dir, "report.html");

        var report = await pipeline.Engine("runs", "--report", runId, "--out", file);

        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Equal($"timeline of run {runId} (6 steps) written to {file}\n", report.Out.Replace("\r\n", "\n"));
        var html = File.ReadAllText(file);
        var rows = Row().Matches(html).ToDictionary(m => m.Groups["step"].Value);
        var logged = await StepsAsync(pipeline, runId);
        Assert.Equal(6, logged.Count);
        Assert.Equal(logged.Keys.Order(), rows.Keys.Order());
        foreach (var (step, (status, seconds, count)) in logged)
        {
            var row = rows[step];
            Assert.Equal(status, row.Groups["status"].Value);
            Assert.Equal(seconds.ToString("0.###", CultureInfo.InvariantCulture), row.Groups["seconds"].Value);
            Assert.Equal(count.ToString(CultureInfo.InvariantCulture), row.Groups["rows"].Value);
            Assert.Contains($">{StepPageHtml.Seconds((double)seconds)}</text>", row.Groups["body"].Value);
            Assert.Contains("<rect class=\"bar success", row.Groups["body"].Value);
        }
        Assert.DoesNotMatch("(src|href)=\"", html);
        Assert.Contains("<h2>Critical path", html);
    }

    [Fact]
    public async Task Critical_path_is_a_chain_of_dependent_steps_ending_in_a_leaf()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var file = Path.Combine(pipeline.Dir, "report.html");

        Assert.Equal(0, (await pipeline.Engine("runs", "--report", "last", "--out", file)).ExitCode);

        var chain = Chain().Match(File.ReadAllText(file));
        Assert.True(chain.Success);
        var path = Regex.Matches(chain.Groups[1].Value, "<code>([^<]+)</code>").Select(m => m.Groups[1].Value).ToList();
        var dag = GeneratedSite.Workspace(pipeline.YamlPath, pipeline.Overrides).Dag;
        Assert.Equal("staging.customers", path[0]);
        for (var i = 1; i < path.Count; i++)
            Assert.Contains(path[i - 1], dag.UpstreamOf(dag.Order.Single(s => s.ToString() == path[i])).Select(s => s.ToString()));
        Assert.Empty(dag.DownstreamOf(dag.Order.Single(s => s.ToString() == path[^1])));
    }

    [Fact]
    public async Task Failed_step_is_red_with_its_error_and_the_steps_it_blocked()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("mart/daily_revenue.sql", sql => sql.Replace("sum(f.total) AS revenue", "sum(f.total) / 0 AS revenue"));
        Assert.Equal(1, (await pipeline.Engine("run")).ExitCode);
        var file = Path.Combine(pipeline.Dir, "report.html");

        Assert.Equal(0, (await pipeline.Engine("runs", "--report", "last", "--out", file)).ExitCode);

        var html = File.ReadAllText(file);
        Assert.Contains("<span class=\"badge partial\">partial</span>", html);
        Assert.Contains("<rect class=\"bar failed", html);
        Assert.Matches("""<div class="failure"><h3><code>mart.daily_revenue</code> <span class="at">[^<]*target/rendered/mart/daily_revenue\.sql\(\d+,\d+\)</span></h3><pre>division by zero""", html);
        Assert.Contains("Skipped because of it: <code>mart.revenue_by_region</code>", html);
        Assert.Contains("data-step=\"mart.revenue_by_region\" data-status=\"skipped\"", html);
    }

    [Fact]
    public async Task Unknown_run_id_is_a_usage_error_that_says_where_ids_are_listed()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);

        var report = await pipeline.Engine("runs", "--report", "20990101T000000Z-000000");

        Assert.Equal(2, report.ExitCode);
        Assert.Contains("error: no run '20990101T000000Z-000000' in the run log", report.Error);
        Assert.Contains("hint: engine runs lists the recent runs and their ids; 'last' is the latest", report.Error);
    }

    private static async Task<Dictionary<string, (string Status, decimal Seconds, long Rows)>> StepsAsync(IsolatedPipeline pipeline, string runId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(pipeline.Sql($"SELECT step, status, seconds, rows FROM {{meta}}.run_steps WHERE run_id = '{runId}'"), connection);
        await using var reader = await command.ExecuteReaderAsync();
        var steps = new Dictionary<string, (string, decimal, long)>();
        while (await reader.ReadAsync()) steps[reader.GetString(0)] = (reader.GetString(1), reader.GetDecimal(2), reader.GetInt64(3));
        return steps;
    }

    [GeneratedRegex("""<g class="row [^"]*" data-step="(?<step>[^"]+)" data-status="(?<status>[^"]+)" data-seconds="(?<seconds>[^"]+)" data-rows="(?<rows>\d+)">(?<body>.*?)</g>""", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("""<p class="chain">(.*?)</p>""")]
    private static partial Regex Chain();
}
