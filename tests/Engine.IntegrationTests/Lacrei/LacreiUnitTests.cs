namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// The Lacrei pipeline's unit tests (unit_tests/ beside pipeline.yaml: normalisation, prices, age
/// groups, the clinic fallback, small-cell folding) pass on mock inputs, with column types taken
/// from the tables a run of the pipeline created.
/// </summary>
public sealed class LacreiUnitTests
{
    [Fact]
    public async Task The_pipelines_unit_tests_pass()
    {
        await using var p = IsolatedPipeline.Lacrei();
        var tests = Directory.EnumerateFiles(Repo.Path("unit_tests"), "*.yaml").ToList();
        Directory.CreateDirectory(Path.Combine(p.Dir, "unit_tests"));
        foreach (var file in tests) File.Copy(file, Path.Combine(p.Dir, "unit_tests", Path.GetFileName(file)));
        await LacreiFixture.CreateSourceAsync(p);
        var run = await LacreiFixture.RunAsync(p);
        Assert.True(run.ExitCode == 0, run.ToString());

        var result = await p.Engine("test", "--unit");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(\d+) unit tests: \1 passed, 0 failed, 0 errors", result.Out);
        Assert.True(result.Out.Split('\n').Count(l => l.StartsWith("PASS ", StringComparison.Ordinal)) >= 15, result.Out);
    }
}
