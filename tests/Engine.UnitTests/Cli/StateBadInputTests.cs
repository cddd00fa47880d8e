namespace Lacrei.Engine.Tests.Cli;

/// <summary>Slim CI's options used wrongly: exit 2 with what is wrong and what to do, never an internal error.</summary>
public sealed class StateBadInputTests : IDisposable
{
    private readonly string _dir = Repo.CopyFixture(Repo.ShopFixture);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<CliOutcome> Engine(params string[] args) =>
        EngineCli.RunAsync([.. args, "--project", Path.Combine(_dir, "pipeline.yaml")], NoDatabase.Environment);

    [Fact]
    public async Task A_state_folder_without_a_manifest_is_named()
    {
        var outcome = await Engine("plan", "--state", Path.Combine(_dir, "nowhere"));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal($"error: --state {Path.Combine(_dir, "nowhere")}: no manifest.json in that folder\n" +
                     "  hint: --state names the folder of a manifest.json that a run wrote (target/state/) or 'engine plan --write-state DIR'\n",
            outcome.Error);
    }

    [Fact]
    public async Task A_file_that_is_not_a_manifest_is_an_error_at_its_place()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "state"));
        File.WriteAllText(Path.Combine(_dir, "state", "manifest.json"), "{\n  \"manifest_version\": \"one\"\n}\n");

        var outcome = await Engine("run", "--only", "state:modified+", "--state", Path.Combine(_dir, "state"));

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("manifest.json(2,", outcome.Error);
        Assert.Contains("error: manifest.json is not a manifest", outcome.Error);
        Assert.DoesNotContain("internal error", outcome.Error);
    }

    [Fact]
    public async Task Defer_without_state_and_state_terms_without_state_are_refused()
    {
        var defer = await Engine("plan", "--defer");
        var term = await Engine("plan", "--only", "state:modified+");

        Assert.Equal((2, "error: --defer needs --state DIR\n  hint: pass the folder of a production run's manifest.json, e.g. --state prod_state\n"),
            (defer.ExitCode, defer.Error));
        Assert.Equal((2, "error: --only state:modified: state selectors need --state DIR\n  hint: pass the folder of a production run's manifest.json, e.g. --state prod_state\n"),
            (term.ExitCode, term.Error));
    }

    [Fact]
    public async Task The_manifest_file_itself_may_be_named()
    {
        var written = await Engine("plan", "--write-state", Path.Combine(_dir, "state"));
        var outcome = await Engine("plan", "--state", Path.Combine(_dir, "state", "manifest.json"), "--only", "state:modified+");

        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("0 of 6 steps", outcome.Out);
        Assert.Contains("nothing differs", outcome.Out);
    }
}
