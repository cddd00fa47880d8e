using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Sql;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.State;

/// <summary>
/// A workspace as a <see cref="Manifest"/>: every step's target-independent SQL and configuration
/// hashes, the seeds' hashes, the target's schemas and, when the database was read, each table's
/// columns. Pure: the columns come from the caller.
/// </summary>
public static class ManifestBuilder
{
    public static Manifest Build(Workspace workspace, IReadOnlyDictionary<StepId, IReadOnlyList<ManifestColumn>>? columns,
        string? runId, DateTimeOffset now)
    {
        var project = workspace.Project;
        var canonical = Canonical(project);
        var steps = workspace.Dag.Order.Where(id => !id.IsSeed).Select(id =>
        {
            var step = workspace.Steps[id].Step;
            return new ManifestStep(id.ToString(), id.Layer, step.Table, step.Materialize.ToString().ToLowerInvariant(), [.. step.Key],
                [.. workspace.Dag.UpstreamOf(id).Select(u => u.ToString())], [.. step.Tags],
                SqlHash(canonical, canonical.Steps[id]), ConfigHash(canonical.Steps[id]),
                columns is not null && columns.TryGetValue(id, out var shape) ? shape : null);
        }).ToList();
        var seeds = workspace.Seeds.Select(seed => new ManifestSeed(seed.Id.ToString(), seed.Hash(project.Config))).ToList();
        var target = new ManifestTarget(project.TargetName,
            new SortedDictionary<string, string>(project.Schemas.ToDictionary(s => s.Key, s => s.Value.Name), StringComparer.Ordinal),
            new SortedDictionary<string, string>(project.Sources.ToDictionary(s => s.Key, s => s.Value.Schema.Name), StringComparer.Ordinal));
        return new Manifest(Manifest.CurrentVersion, project.Config.Name,
            now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), runId, target, steps, seeds);
    }

    /// <summary>The same manifest with the tables' columns as read now (a run hashes first, while it waits on the server).</summary>
    public static Manifest WithColumns(Manifest manifest, IReadOnlyDictionary<StepId, IReadOnlyList<ManifestColumn>> columns, DateTimeOffset now) =>
        manifest with
        {
            GeneratedAt = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Steps = manifest.Steps.Select(step => step with
            {
                Columns = StepId.TryParse(step.Step, out var id) && columns.TryGetValue(id, out var shape) ? shape : null,
            }).ToList(),
        };

    /// <summary>
    /// The project rendered with every schema and source schema named by its key, on a fixed run
    /// id and date: the same templates give the same SQL whatever the target, <c>--var schemas.*</c>
    /// or the day (a template's <c>run.as_of</c> is code, not a change).
    /// </summary>
    internal static Workspace Canonical(Project project)
    {
        var schemas = project.Schemas.ToImmutableDictionary(s => s.Key, s => Identifier.TryParse(s.Key, out var name) ? name : s.Value);
        var sources = project.Sources.ToImmutableDictionary(s => s.Key,
            s => s.Value with { Schema = Identifier.TryParse("source_" + s.Key, out var name) ? name : s.Value.Schema });
        return Workspace.Build(project with { Schemas = schemas, Sources = sources }, new RunContext("state", new DateOnly(2000, 1, 1)));
    }

    /// <summary>The SQL without the descriptions' COMMENT statements: a description is configuration, not logic.</summary>
    private static string SqlHash(Workspace canonical, RenderedStep step)
    {
        var comments = MaterializationSql.Comments(canonical.Project, step.Step);
        var text = step.Sql + "\n" + step.FullSql;
        return Sha(comments.Length == 0 ? text : text.Replace(comments, "", StringComparison.Ordinal));
    }

    /// <summary>Everything of a step's YAML that changes what it publishes or checks, in a fixed order.</summary>
    private static string ConfigHash(RenderedStep rendered)
    {
        var step = rendered.Step;
        var text = new StringBuilder()
            .Append("materialize=").Append(step.Materialize).Append('\n')
            .Append("key=").AppendJoin(',', step.Key).Append('\n')
            .Append("delete_missing=").Append(step.DeleteMissing).Append('\n')
            .Append("cursor=").Append(step.Cursor).Append('\n')
            .Append("on_schema_change=").Append(step.OnSchemaChange).Append('\n')
            .Append("snapshot=").Append(step.Snapshot is { } snapshot
                ? $"{snapshot.Strategy}:{(snapshot.AllColumns ? "all" : string.Join(',', snapshot.CheckCols))}:{snapshot.UpdatedAt}:{snapshot.HardDeletes}" : "").Append('\n')
            .Append("indexes=").AppendJoin(';', step.Indexes.Select(i => string.Join(',', i))).Append('\n')
            .Append("depends_on=").AppendJoin(',', step.DependsOn.Select(d => d.Text)).Append('\n')
            .Append("tags=").AppendJoin(',', step.Tags).Append('\n')
            .Append("sensitive=").AppendJoin(',', step.Sensitive).Append('\n')
            .Append("timeouts=").Append(step.Timeouts).Append('\n')
            .Append("description=").Append(step.Description).Append('\n');
        foreach (var (column, description) in step.ColumnDescriptions.OrderBy(c => c.Key, StringComparer.Ordinal))
            text.Append("column ").Append(column).Append('=').Append(description).Append('\n');
        if (step.Extract is { } extract)
            text.Append("extract=").Append(extract.Source).Append('.').Append(extract.Table).Append(" key ").Append(extract.Key)
                .Append(" cursor ").Append(extract.Cursor).Append(" columns ").AppendJoin(',', extract.Columns)
                .Append(" deletes ").Append(extract.Deletes).Append(' ').Append(extract.SoftDeleteColumn).Append('\n')
                .AppendJoin('\n', extract.Expressions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"expression {e.Key}={e.Value}")).Append('\n');
        foreach (var test in rendered.Tests) text.Append("test ").Append(test.Config.Severity).Append(':').Append(test.Sql).Append('\n');
        return Sha(text.ToString());
    }

    private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
