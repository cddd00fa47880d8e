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

    /// <summary>Production built at scale 1, and its state where CI finds it.</summary>
    private static async Task<string> BuiltProductionAsync(IsolatedPipeline production)
    {
        await CreateSourceAsync(production, scale: 1);
        var run = await production.Engine("run");
        Assert.True(run.ExitCode == 0, run.ToString());
        var state = Path.Combine(production.Dir, "prod_state");
        Directory.CreateSymbolicLink(state, Path.Combine(production.Dir, "target", "state"));
        return state;
    }

    /// <summary>An edit of staging 2's users that keeps every value: state:modified+ is that step and its descendants.</summary>
    private static void EditUsersKeepingValues(IsolatedPipeline production) =>
        production.EditFile("pipelines/lacrei/staging2/lacreiid_user.sql", sql => sql.Replace("        is_staff,\n", "        (NOT NOT is_staff) AS is_staff,\n"));

    [Fact]
    public async Task A_staging2_edit_rebuilds_its_descendants_in_ci_and_gives_production_s_marts()
    {
        await using var production = IsolatedPipeline.Lacrei();
        await using var ci = new CiEnvironment(production, shareSource: true);
        var state = await BuiltProductionAsync(production);
        var expected = (await production.Engine("plan", "--json", "--only", "staging2.lacreiid_user+")).Out;
        EditUsersKeepingValues(production);

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

    /// <summary>
    /// SPEC §9.4: with --defer, the ids CI computes meet those it reads from production; with another
    /// key they would not match (a fact row whose patient no dimension holds), so the run is refused
    /// before any step builds.
    /// </summary>
    [Fact]
    public async Task A_ci_run_that_defers_to_production_must_use_production_s_pseudonym_key()
    {
        await using var production = IsolatedPipeline.Lacrei();
        await using var ci = new CiEnvironment(production, shareSource: true);
        var state = await BuiltProductionAsync(production);
        EditUsersKeepingValues(production);
        var otherKey = "ci-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(36));

        var ciRun = await ci.Engine(new Dictionary<string, string?> { [TestPseudonyms.Variable] = otherKey }, "run", "--only", "state:modified+", "--defer", "--state", state);

        Assert.True(ciRun.ExitCode == 2, ciRun.ToString());
        Assert.Contains("error: LACREI_PSEUDONYM_KEY is not the key of the warehouse that --defer reads", ciRun.Error);
        Assert.DoesNotContain(otherKey, ciRun.Error + ciRun.Out);
        Assert.Equal("", await ci.TablesAsync("staging2"));
    }
}
