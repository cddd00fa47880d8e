namespace Lacrei.Engine.Tests.Privacy;

/// <summary>
/// SPEC §9.4 through the CLI: a run that computes pseudonyms without a usable key stops before it
/// starts, with a configuration error (exit 2) that names the variable and never shows a value;
/// a selection without pseudonyms runs without one.
/// </summary>
public sealed class PseudonymKeyCliTests
{
    [Theory]
    [InlineData(null, "error: the pseudonym key is not set: environment variable LACREI_PSEUDONYM_KEY is empty or unset")]
    [InlineData("", "error: the pseudonym key is not set: environment variable LACREI_PSEUDONYM_KEY is empty or unset")]
    [InlineData("thirty-one bytes is not enough!", "error: the pseudonym key in LACREI_PSEUDONYM_KEY is 31 bytes long; it must be at least 32")]
    public async Task A_run_without_a_usable_key_is_a_configuration_error_naming_the_variable(string? key, string message)
    {
        await using var p = IsolatedPipeline.Lacrei();
        var run = await p.Engine(new Dictionary<string, string?> { [TestPseudonyms.Variable] = key, ["LACREI_SOURCE_URL"] = null }, "run", "--only", "model");
        Assert.Equal(2, run.ExitCode);
        // The error points at the value of pseudonym_key: in pipeline.yaml, wherever that line is.
        var keyLine = Array.FindIndex(File.ReadAllLines(p.YamlPath), l => l.StartsWith("pseudonym_key: ", StringComparison.Ordinal)) + 1;
        Assert.Contains($"pipeline.yaml({keyLine},{"pseudonym_key: ".Length + 1}): {message}", run.Error);
        Assert.Contains("hint: set LACREI_PSEUDONYM_KEY to", run.Error);
        if (!string.IsNullOrEmpty(key)) Assert.DoesNotContain(key, run.Error + run.Out);
        Assert.Equal(0, await p.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + p.Schema("model").Trim('"') + "'"));
    }

    [Fact]
    public async Task A_selection_that_computes_no_pseudonyms_needs_no_key()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await LacreiInsights.LacreiFixture.CreateSourceAsync(p, scale: 1);
        var run = await p.Engine(new Dictionary<string, string?> { [TestPseudonyms.Variable] = null, ["LACREI_SOURCE_URL"] = null }, "run", "--only", "staging1");
        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
