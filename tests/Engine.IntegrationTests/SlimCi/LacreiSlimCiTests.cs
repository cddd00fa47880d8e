using System.Text.Json.Nodes;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.SlimCi;

/// <summary>
/// Slim CI on the Lacrei pipeline, incremental steps with scopes and change logs included: a
/// staging 2 edit that keeps every value builds that step and its descendants in CI's schemas,
/// reads staging 1 and the untouched dimensions from production, and publishes the same marts.
/// </summary>
public sealed class LacreiSlimCiTests
{
    private static readonly string[] Marts = ["patients", "patient_disability", "professionals", "professional_appointments"];

    [Fact]
    public async Task A_staging2_edit_rebuilds_its_descendants_in_ci_and_gives_production_s_marts()
    {
        await using var production = IsolatedPipeline.Lacrei();
        await using var ci = new CiEnvironment(production, shareSource: true);
        await CreateSourceAsync(production, scale: 1);
        var run = await production.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());
        var state = Path.Combine(production.Dir, "prod_state");
        Directory.CreateSymbolicLink(state, Path.Combine(production.Dir, "target", "state"));
        var expected = (await production.Engine("plan", "--json", "--only", "staging2.lacreiid_user+")).Out;
        production.EditFile("pipelines/lacrei/staging2/lacreiid_user.sql", sql => sql.Replace("        is_staff,\n", "        (NOT NOT is_staff) AS is_staff,\n"));

        var ciRun = await ci.Engine("run", "--only", "state:modified+", "--defer", "--state", state, "--json");

        Assert.True(ciRun.ExitCode == 0, ciRun.ToString());
        var built = JsonNode.Parse(ciRun.Out)!["steps"]!.AsArray().Select(s => (string)s!["step"]!).ToList();
        Assert.Equal(JsonNode.Parse(expected)!["steps"]!.AsArray().Select(s => (string)s!["step"]!), built);
        Assert.Equal(9, built.Count);
        Assert.Equal("", await ci.TablesAsync("staging1"));
        Assert.Equal("lacreiid_user", await ci.TablesAsync("staging2"));
        foreach (var mart in Marts)
            Assert.Equal(await production.ContentAsync($"{{mart}}.{mart}"), await production.ContentAsync($"{ci.Schema("mart")}.{mart}"));
    }
}
