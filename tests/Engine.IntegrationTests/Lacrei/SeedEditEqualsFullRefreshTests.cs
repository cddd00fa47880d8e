using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// SPEC §6: the seeds a step reads are among its inputs. Each Lacrei seed edited in turn (its
/// last mapping removed, in this test's copy of the project): the next normal run equals a full
/// refresh, table by table.
/// </summary>
public sealed class SeedEditEqualsFullRefreshTests
{
    [Fact]
    public async Task After_each_seed_is_edited_a_normal_run_equals_a_full_refresh()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);
        await using var secondSet = new SecondSchemaSet(p);

        var seeds = Directory.GetFiles(Path.Combine(p.Dir, "pipelines", "lacrei", "seeds"), "*.csv").Order(StringComparer.Ordinal).ToList();
        Assert.True(seeds.Count >= 5, $"only {seeds.Count} seeds");
        foreach (var seed in seeds)
        {
            var lines = File.ReadAllLines(seed).Where(l => l.Trim().Length > 0).ToList();
            File.WriteAllLines(seed, lines.Take(lines.Count - 1));

            var run = await RunOkAsync(p);

            Assert.DoesNotContain(run.Steps, s => s.Status == "failed");
            await secondSet.AssertEqualsFullRefreshAsync($"normal run after editing {Path.GetFileName(seed)} vs full refresh");
        }
    }
}
