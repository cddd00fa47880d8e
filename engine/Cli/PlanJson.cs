using System.Text.Json.Nodes;
using Lacrei.Engine.Config;
using Lacrei.Engine.Server;
using Lacrei.Engine.State;

namespace Lacrei.Engine.Cli;

/// <summary>
/// <c>engine plan --json</c>: the shape docs/schemas/plan.schema.json describes. Deterministic
/// for the same project, options and database state (no clock, no run id).
/// </summary>
internal static class PlanJson
{
    public static string Write(Plan plan)
    {
        var workspace = plan.Workspace;
        var selected = plan.Steps.Select(s => s.Step).ToHashSet();
        var json = new JsonObject
        {
            ["pipeline"] = workspace.Project.Config.Name,
            ["target"] = workspace.Project.TargetName,
            ["as_of"] = workspace.Run.AsOf.ToString("yyyy-MM-dd"),
            ["selection"] = plan.Selection,
            ["steps_total"] = workspace.Steps.Count,
            ["seeds"] = new JsonArray([.. workspace.Seeds.Where(seed => workspace.Dag.DownstreamOf(seed.Id).Any(selected.Contains)).Select(seed => (JsonNode)new JsonObject
            {
                ["seed"] = seed.Id.ToString(),
                ["downstream"] = Ids(workspace.Dag.DownstreamOf(seed.Id)),
            })]),
            ["steps"] = new JsonArray([.. plan.Steps.Select(planned =>
            {
                var rendered = workspace.Steps[planned.Step];
                var step = rendered.Step;
                return (JsonNode)new JsonObject
                {
                    ["step"] = planned.Step.ToString(),
                    ["layer"] = planned.Step.Layer,
                    ["table"] = workspace.Project.TableOf(step),
                    ["materialize"] = step.Materialize.ToString().ToLowerInvariant(),
                    ["key"] = Strings(step.Key),
                    ["upstream"] = Ids(workspace.Dag.UpstreamOf(planned.Step)),
                    ["downstream"] = Ids(workspace.Dag.DownstreamOf(planned.Step)),
                    ["sql_hash"] = rendered.Hash,
                    ["tags"] = Strings(step.Tags),
                    ["would_skip"] = planned.Skip.WouldSkip,
                    ["would_skip_reason"] = planned.Skip.Reason,
                };
            })]),
            ["state"] = plan.State is { } state ? State(state) : null,
        };
        return json.ToJsonString(ApiEndpoints.Indented);
    }

    private static JsonObject State(PlanState state) => new()
    {
        ["dir"] = state.Dir,
        ["target"] = state.Manifest.Target.Name,
        ["generated_at"] = state.Manifest.GeneratedAt,
        ["changes"] = new JsonArray([.. state.Changes.Select(change => (JsonNode)new JsonObject
        {
            ["node"] = change.Change.Node.ToString(),
            ["status"] = change.Change.Status == StateStatus.New ? "new" : "modified",
            ["differs"] = Strings(change.Change.Differs),
            ["change"] = change.Classification?.Kind.Text(),
            ["reasons"] = Strings(change.Classification?.Reasons ?? []),
            ["downstream"] = Ids(change.Downstream),
        })]),
        ["deferred"] = state.Deferred is null ? null : Ids(state.Deferred),
    };

    private static JsonArray Ids(IEnumerable<StepId> ids) => new([.. ids.Select(id => (JsonNode)JsonValue.Create(id.ToString()))]);

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
