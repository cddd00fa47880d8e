namespace Lacrei.Engine.Tests;

/// <summary>Every migration, rendered as DbUp will apply it (SPEC §7), approved per script.</summary>
public sealed class MigrationSnapshotTests
{
    public static TheoryData<string, string> Scripts()
    {
        var data = new TheoryData<string, string>();
        foreach (var pipeline in Pipelines.Files.Keys)
        foreach (var script in Pipelines.Migrations(pipeline))
            data.Add(pipeline, script.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Rendered_migration_matches_the_approved_file(string pipeline, string name)
    {
        var script = Pipelines.Migrations(pipeline).Single(s => s.Name == name);

        Approval.Verify(Path.Combine(pipeline, "migrations"), Pipelines.FileName(script), script.Sql, "sql");
    }

    [Theory]
    [InlineData("shop")]
    [InlineData("lacrei")]
    public void Every_approved_migration_file_belongs_to_a_script(string pipeline)
    {
        var scripts = Pipelines.Migrations(pipeline).Select(Pipelines.FileName).ToHashSet();
        var approved = Approval.Files(Path.Combine(pipeline, "migrations"), "sql");

        var stale = approved.Where(name => !scripts.Contains(name)).ToList();
        Assert.True(stale.Count == 0, "approved files of nothing (delete them): " + string.Join(", ", stale));
    }
}
