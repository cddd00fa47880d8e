namespace Lacrei.Engine.Tests;

/// <summary>
/// <c>engine render --check</c> / <c>--approve</c> (SPEC §8): the rendered SQL of every step and
/// its data tests, and every pipeline migration, against the approved files in <c>snapshots/</c>
/// beside pipeline.yaml. The repository's own pipelines are checked the way any project is.
/// </summary>
public sealed class RenderCheckTests : IDisposable
{
    private readonly string _dir = Repo.CopyFixture(Repo.ShopFixture);

    private string Yaml => Path.Combine(_dir, "pipeline.yaml");

    private Task<CliOutcome> Render(params string[] args) => EngineCli.RunAsync(["render", .. args, "--project", Yaml]);

    [Theory]
    [InlineData("pipeline.yaml")]
    [InlineData("tests/fixtures/shop/pipeline.yaml")]
    [InlineData("tests/fixtures/authoring/pipeline.yaml")]
    public async Task The_repository_pipelines_match_their_approved_snapshots(string pipeline)
    {
        var outcome = await EngineCli.RunAsync(["render", "--check", "--project", Repo.Path(pipeline.Split('/'))]);

        Assert.True(outcome.ExitCode == 0,
            $"{outcome}\nreview the diff, then approve it: engine render --approve --project {pipeline} (or tests/Engine.SnapshotTests/approve.sh)");
        Assert.Matches(@"^\d+ files match the approved snapshots in .*snapshots\n$", outcome.Out);
    }

    [Fact]
    public async Task A_changed_sql_line_fails_the_check_with_its_diff()
    {
        Edit("mart/daily_revenue.sql", sql => sql.Replace("sum(f.total) AS revenue", "sum(f.total) AS revenue_brl"));

        var check = await Render("--check");

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("snapshots/mart.daily_revenue.sql (approved)\n+++ ", check.Out);
        Assert.Contains("\n-    sum(f.total) AS revenue\n+    sum(f.total) AS revenue_brl\n", check.Out);
        Assert.EndsWith("1 of 7 files differ from the approved snapshots (1 changed, 0 new, 0 orphaned)\n" +
            "  review the diff, then approve it: engine render --approve\n", check.Out);

        var approve = await Render("--approve");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.StartsWith("changed: ", approve.Out);
        Assert.Equal(0, (await Render("--check")).ExitCode);
    }

    [Fact]
    public async Task A_file_nothing_renders_fails_a_whole_check_only_and_approve_removes_it()
    {
        File.WriteAllText(Path.Combine(_dir, "snapshots", "mart.gone.sql"), "SELECT 1\n");

        var whole = await Render("--check");
        var selection = await Render("--check", "--only", "mart");

        Assert.True(whole.ExitCode == 1, whole.ToString());
        Assert.Contains("orphan: ", whole.Out);
        Assert.Contains("snapshots/mart.gone.sql (nothing renders it any more)", whole.Out);
        // With a selection, files of steps outside it are not judged.
        Assert.True(selection.ExitCode == 0, selection.ToString());
        var approve = await Render("--approve");
        Assert.Contains("removed: ", approve.Out);
        Assert.False(File.Exists(Path.Combine(_dir, "snapshots", "mart.gone.sql")));
        Assert.Equal(0, (await Render("--check")).ExitCode);
    }

    [Fact]
    public async Task A_step_without_an_approved_file_fails_as_new_and_a_selection_judges_only_its_steps()
    {
        File.Delete(Path.Combine(_dir, "snapshots", "staging.orders.sql"));

        var whole = await Render("--check");
        var mart = await Render("--check", "--only", "mart");

        Assert.True(whole.ExitCode == 1, whole.ToString());
        Assert.Contains("--- /dev/null\n+++ ", whole.Out);
        Assert.Contains("(0 changed, 1 new, 0 orphaned)", whole.Out);
        Assert.True(mart.ExitCode == 0, mart.ToString());
        Assert.Equal("3 files match the approved snapshots in " + Lacrei.Engine.Diagnostics.DisplayPath.Of(Path.Combine(_dir, "snapshots")) + "\n", mart.Out);
    }

    [Fact]
    public async Task The_as_of_date_stays_the_one_the_files_were_approved_with_unless_re_pinned()
    {
        var approved = File.ReadAllText(Path.Combine(_dir, "snapshots", "mart.daily_revenue.sql"));

        var again = await Render("--approve");
        var repinned = await Render("--check", "--as-of", "2026-01-01");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.EndsWith("(0 written or removed)\n", again.Out);
        Assert.StartsWith("-- mart.daily_revenue (replace): rendered as of 2025-12-01 by engine render --approve\n", approved);
        Assert.Equal(1, repinned.ExitCode);
        Assert.Contains("+-- mart.daily_revenue (replace): rendered as of 2026-01-01 by engine render --approve", repinned.Out);
    }

    [Fact]
    public async Task Line_ends_and_trailing_blanks_in_a_template_are_not_a_difference()
    {
        Edit("mart/daily_revenue.sql", sql => sql.ReplaceLineEndings("  \r\n") + "\r\n\r\n\r\n");

        var check = await Render("--check");

        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public async Task Check_and_approve_together_are_a_usage_error()
    {
        var outcome = await Render("--check", "--approve");

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("error: render --check and --approve do not go together\n", outcome.Error);
    }

    private void Edit(string relative, Func<string, string> edit)
    {
        var path = Path.Combine(_dir, relative);
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
