using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Lacrei.Engine.State;
using Npgsql;

namespace Lacrei.Engine.Cli;

/// <summary>
/// <c>plan --state</c>: each node that differs from the state, classified breaking or not
/// (<see cref="ChangeClassifier"/>) from the columns the state recorded and the columns its
/// SELECT gives now, described by the database. A table the current target has not built is
/// read from the state's target for the description, as <c>--defer</c> would.
/// </summary>
internal static class PlanChanges
{
    public static async Task<IReadOnlyList<PlannedChange>> ClassifyAsync(StateDiff diff, Workspace workspace, NpgsqlDataSource? dataSource,
        string? noDatabase, CancellationToken ct)
    {
        Workspace? describing = null;
        if (dataSource is not null && diff.Changes.Any(c => c.Status == StateStatus.Modified && !c.Node.IsSeed))
        {
            var built = await TableShapes.ReadAsync(dataSource, workspace, ct);
            // Full refresh: an incremental SELECT without {{ this }} and the watermark, as on its first run.
            describing = Workspace.Build(workspace.Project, workspace.Run with { FullRefresh = true },
                SlimCi.DeferralFor(diff.State, workspace, built.Keys));
        }
        var changes = new List<PlannedChange>();
        foreach (var change in diff.Changes)
        {
            var downstream = Downstream(workspace, change.Node);
            Classification? classification = null;
            if (change.Status == StateStatus.New) { }
            else if (change.Node.IsSeed)
                classification = new Classification(ChangeKind.Breaking, ["its content changed: the values its readers get may differ"]);
            else
            {
                var (columns, why) = await ColumnsNowAsync(workspace.Steps[change.Node], describing, dataSource, noDatabase, ct);
                classification = ChangeClassifier.Classify(diff.Before(change.Node)!, diff.After(change.Node)!, change, columns, why);
            }
            changes.Add(new PlannedChange(change, classification, downstream));
        }
        return changes;
    }

    private static async Task<(IReadOnlyList<ManifestColumn>?, string?)> ColumnsNowAsync(Templating.RenderedStep step, Workspace? describing,
        NpgsqlDataSource? dataSource, string? noDatabase, CancellationToken ct)
    {
        // An extract step's columns are its YAML's; their types are the source's, not read here.
        if (step.Step.Extract is { } extract)
            return (extract.Columns.Concat(extract.Expressions.Keys).Distinct().Select(c => new ManifestColumn(c, "")).ToList(), null);
        if (step.Select is null) return (null, "a script step's output is not described");
        if (dataSource is null || describing is null) return (null, $"its columns now are unknown: {noDatabase}");
        var (columns, problem) = await TableShapes.DescribeAsync(dataSource, describing.Steps[step.Step.Id].Select!, ct);
        return (columns, problem is null ? null : $"its SELECT could not be described: {problem}");
    }

    private static List<StepId> Downstream(Workspace workspace, StepId node)
    {
        if (!workspace.Dag.Contains(node)) return [];
        var descendants = workspace.Dag.Descendants(node);
        return workspace.Dag.Order.Where(id => descendants.Contains(id) && !id.IsSeed).ToList();
    }
}
