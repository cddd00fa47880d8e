namespace Lacrei.Engine.Tests;

/// <summary>
/// Every migration, rendered as DbUp will apply it (SPEC §7), approved per script: the engine's own
/// meta scripts once (they are the same for every pipeline but for the meta schema's name, here the
/// example's), each pipeline's <c>migrations/</c> per pipeline.
/// </summary>
public sealed class MigrationSnapshotTests
{
    private const string EngineFolder = "engine";

    public static TheoryData<string> EngineScripts() => [.. Engine().Select(s => s.Name)];

    public static TheoryData<string, string> PipelineScripts()
    {
        var data = new TheoryData<string, string>();
        foreach (var pipeline in Pipelines.Files.Keys)
        foreach (var script in Own(pipeline))
            data.Add(pipeline, script.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(EngineScripts))]
    public void Rendered_engine_script_matches_the_approved_file(string name)
    {
        var script = Engine().Single(s => s.Name == name);

        Approval.Verify(EngineFolder, Pipelines.FileName(script), script.Sql, "sql");
    }

    [Theory]
    [MemberData(nameof(PipelineScripts))]
    public void Rendered_migration_matches_the_approved_file(string pipeline, string name)
    {
        var script = Own(pipeline).Single(s => s.Name == name);

        Approval.Verify(Path.Combine(pipeline, "migrations"), Pipelines.FileName(script), script.Sql, "sql");
    }

    [Theory]
    [InlineData("shop")]
    [InlineData("lacrei")]
    public void Every_approved_migration_file_belongs_to_a_script(string pipeline)
    {
        AssertNoStale(Path.Combine(pipeline, "migrations"), Own(pipeline));
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

    private static IEnumerable<Migrations.MigrationScript> Own(string pipeline) => Pipelines.Migrations(pipeline).Where(s => !IsEngines(s));
}
