using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Docs;

/// <summary>
/// Joins the workspace (steps, rendered SQL, DAG: pure, no database) with what the catalog read
/// from the database into the one model the site is written from.
/// </summary>
public static class DocsSiteBuilder
{
    public static DocsSite Build(Workspace workspace, DocsCatalog catalog, DatabaseStatus database, DateTimeOffset now)
    {
        var project = workspace.Project;
        var config = project.Config;
        // Seeds are the lineage's first column: the steps that read one depend on it (SPEC §6).
        var steps = workspace.Seeds.Select(seed => SeedDoc(workspace, seed))
            .Concat(config.Steps.Select(step => StepDoc(workspace, step, catalog, database.Available))).ToList();
        var layers = (workspace.Seeds.IsEmpty ? [] : new[] { new LayerDoc(StepId.SeedsLayer, project.SeedsSchema.Name, workspace.Seeds.Length) })
            .Concat(config.Layers.Select(layer => new LayerDoc(layer.Name,
                project.Schemas.TryGetValue(layer.SchemaKey, out var schema) ? schema.Name : layer.SchemaKey, layer.Steps.Length))).ToList();
        // Edges in DAG order so the JSON (and a diff of two generated sites) is stable.
        var position = workspace.Dag.Order.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var edges = workspace.Dag.Edges
            .OrderBy(e => position[e.Step]).ThenBy(e => position[e.Upstream])
            .Select(e => new EdgeDoc(e.Upstream.ToString(), e.Step.ToString())).ToList();
        return new DocsSite(config.Name, now.ToString("yyyy-MM-dd HH:mm 'UTC'"), workspace.Run.AsOf.ToString("yyyy-MM-dd"),
            project.TargetName, database, layers, steps, edges, catalog.LastRunId);
    }

    private static StepDoc StepDoc(Workspace workspace, StepConfig step, DocsCatalog catalog, bool databaseRead)
    {
        var id = step.Id.ToString();
        var schema = workspace.Project.SchemaOf(step).Name;
        var tests = step.Tests.Select(test => new TestDoc(test.Name, test.Kind, test.Severity.ToString().ToLowerInvariant(),
            catalog.Tests.GetValueOrDefault((id, test.Name)))).ToList();
        return new StepDoc(
            id, step.Id.Layer, step.Id.Name, $"{schema}.{step.Table}",
            step.Materialize.ToString().ToLowerInvariant(), [.. step.Key], step.Description, [.. step.Tags],
            RelativeSqlPath(workspace.Project.Config.RootDir, step.SqlPath),
            [.. workspace.Dag.UpstreamOf(step.Id).Select(s => s.ToString())],
            [.. workspace.Dag.DownstreamOf(step.Id).Select(s => s.ToString())],
            tests, catalog.LastRuns.GetValueOrDefault(id))
        {
            Sql = workspace.Steps[step.Id].Sql,
            Columns = databaseRead ? Columns(step, catalog.Columns.GetValueOrDefault((schema, step.Table))) : null,
        };
    }

    private static StepDoc SeedDoc(Workspace workspace, SeedFile seed) => new(
        seed.Id.ToString(), StepId.SeedsLayer, seed.Name, $"{workspace.Project.SeedsSchema.Name}.{seed.Name}", "seed", [],
        $"Loaded from {RelativeSqlPath(workspace.Project.Config.RootDir, seed.Path)} when the file changes.", [],
        RelativeSqlPath(workspace.Project.Config.RootDir, seed.Path), [],
        [.. workspace.Dag.DownstreamOf(seed.Id).Select(s => s.ToString())], [], null)
    {
        Sql = "",
        Columns = null,
    };

    /// <summary>The database's columns, with the YAML description where the table has no comment yet.</summary>
    private static IReadOnlyList<ColumnDoc> Columns(StepConfig step, IReadOnlyList<CatalogColumn>? columns) =>
        columns is null
            ? []
            : columns.Select(c => new ColumnDoc(c.Name, c.Type, c.NotNull, step.Key.Contains(c.Name),
                c.Comment ?? step.ColumnDescriptions.GetValueOrDefault(c.Name))).ToList();

    private static string RelativeSqlPath(string root, string path) =>
        path.Length == 0 ? "" : Path.GetRelativePath(root, path).Replace('\\', '/');
}
