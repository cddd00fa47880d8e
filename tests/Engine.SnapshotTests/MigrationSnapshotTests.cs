namespace Lacrei.Engine.Tests;

/// <summary>
/// The engine's own meta scripts, rendered as DbUp will apply them (SPEC §7), approved per script
/// once: they are the same for every pipeline but for the meta schema's name (here the example's).
/// A pipeline's own <c>migrations/</c> are in its <c>snapshots/</c> (<see cref="RenderCheckTests"/>).
/// </summary>
public sealed class MigrationSnapshotTests
{
    private const string EngineFolder = "engine";

    public static TheoryData<string> EngineScripts() => [.. Engine().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(EngineScripts))]
    public void Rendered_engine_script_matches_the_approved_file(string name)
    {
        var script = Engine().Single(s => s.Name == name);

        Approval.Verify(EngineFolder, Pipelines.FileName(script), script.Sql, "sql");
    }

    [Fact]
    public void Every_approved_engine_script_file_belongs_to_a_script()
    {
        AssertNoStale(EngineFolder, Engine());
    }

    private static void AssertNoStale(string folder, IEnumerable<Migrations.MigrationScript> scripts)
    {
        var names = scripts.Select(Pipelines.FileName).ToHashSet();
        var stale = Approval.Files(folder, "sql").Where(name => !names.Contains(name)).ToList();
        Assert.True(stale.Count == 0, "approved files of nothing (delete them): " + string.Join(", ", stale));
    }

    private static bool IsEngines(Migrations.MigrationScript script) => script.Name.StartsWith("engine/", StringComparison.Ordinal);

    private static IEnumerable<Migrations.MigrationScript> Engine() => Pipelines.Migrations("shop").Where(IsEngines);
}
