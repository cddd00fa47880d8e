using Lacrei.Engine.Config;
using Lacrei.Engine.Migrations;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Tests;

/// <summary>
/// The pipelines under snapshot: the example (tests/fixtures/shop), Lacrei (pipeline.yaml) and the
/// authoring features (tests/fixtures/authoring: a view, a macro, list vars).
/// </summary>
public static class Pipelines
{
    /// <summary>Rendering is pure (STYLE): with a pinned run id and as-of date the SQL is the same everywhere.</summary>
    public static readonly RunContext Run = new("snapshot", new DateOnly(2025, 12, 1));

    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["shop"] = Repo.Path("tests", "fixtures", "shop", "pipeline.yaml"),
        ["lacrei"] = Repo.Path("pipeline.yaml"),
        ["authoring"] = Repo.Path("tests", "fixtures", "authoring", "pipeline.yaml"),
    };

    private static readonly Dictionary<string, Lazy<Graph.Workspace>> Workspaces = Files.ToDictionary(
        f => f.Key,
        f => new Lazy<Graph.Workspace>(() => Graph.Workspace.Build(Project.Resolve(PipelineLoader.Load(f.Value), new ProjectOptions()), Run)));

    public static Graph.Workspace Workspace(string pipeline) => Workspaces[pipeline].Value;

    /// <summary>Every migration as it would be applied (the engine's meta scripts first); rendering needs no database.</summary>
    public static IReadOnlyList<MigrationScript> Migrations(string pipeline)
    {
        var workspace = Workspace(pipeline);
        var renderer = new SqlRenderer(workspace.Project, Run, workspace.Seeds.Select(s => s.Name).ToHashSet());
        return new Migrator(workspace.Project, renderer, "Host=unused", Serilog.Core.Logger.None).Scripts();
    }

    /// <summary>"migrations/0001_schemas.sql" → "migrations.0001_schemas": one flat file name per script.</summary>
    public static string FileName(MigrationScript script) => Path.ChangeExtension(script.Name, null).Replace('/', '.');
}
