using Lacrei.Engine.State;

namespace Lacrei.Engine.Cli;

/// <summary><c>engine plan</c> for people: the steps in order, then what differs from the state.</summary>
internal static class PlanText
{
    public static async Task WriteAsync(Plan plan, TextWriter output)
    {
        var workspace = plan.Workspace;
        var selected = plan.Steps.Select(s => s.Step).ToList();
        if (selected.Count > 0)
        {
            var width = selected.Max(s => s.ToString().Length);
            var how = selected.ToDictionary(id => id, id =>
            {
                var step = workspace.Steps[id].Step;
                return step.Materialize.ToString().ToLowerInvariant() + (step.Key.IsEmpty ? "" : $" by ({string.Join(", ", step.Key)})");
            });
            var howWidth = Math.Min(40, how.Values.Max(h => h.Length)); // a long key may push its own arrow, not every row's
            // Seeds are DAG nodes that every run loads first (when their file changed).
            foreach (var seed in workspace.Seeds.Where(s => selected.Any(step => workspace.Dag.UpstreamOf(step).Contains(s.Id))))
                await output.WriteLineAsync($"     {seed.Id.ToString().PadRight(width)}  {"seed".PadRight(howWidth)}  → " +
                    string.Join(", ", workspace.Dag.DownstreamOf(seed.Id).Where(selected.Contains)));
            for (var i = 0; i < selected.Count; i++)
            {
                var upstream = workspace.Dag.UpstreamOf(selected[i]);
                var skip = plan.Steps[i].Skip.WouldSkip == true ? "  (unchanged: would be skipped)" : "";
                await output.WriteLineAsync(
                    $"{i + 1,3}. {selected[i].ToString().PadRight(width)}  {how[selected[i]].PadRight(howWidth)}  ← " +
                    (upstream.Count == 0 ? "(no dependencies)" : string.Join(", ", upstream)) + skip);
            }
        }
        await output.WriteLineAsync($"{selected.Count} of {workspace.Steps.Count} steps");
        if (plan.State is { } state) await WriteStateAsync(state, output);
    }

    private static async Task WriteStateAsync(PlanState state, TextWriter output)
    {
        var modified = state.Changes.Count(c => c.Change.Status == StateStatus.Modified);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"against state {state.Dir} (target {state.Manifest.Target.Name ?? "default"}, written {state.Manifest.GeneratedAt}): " +
            $"{modified} modified, {state.Changes.Count - modified} new");
        if (state.Changes.Count == 0) await output.WriteLineAsync("  nothing differs");
        var width = state.Changes.Select(c => c.Change.Node.ToString().Length).DefaultIfEmpty(0).Max();
        foreach (var change in state.Changes)
        {
            var node = change.Change.Node.ToString().PadRight(width);
            if (change.Classification is not { } classification)
            {
                await output.WriteLineAsync($"  new       {node}");
                continue;
            }
            await output.WriteLineAsync($"  modified  {node}  {classification.Kind.Text().Replace('_', '-')} ({string.Join(", ", change.Change.Differs)})");
            foreach (var reason in classification.Reasons) await output.WriteLineAsync($"      {reason}");
            if (change.Downstream.Count > 0)
                await output.WriteLineAsync($"      {Consequence(classification.Kind)}: {string.Join(", ", change.Downstream)}");
        }
        if (state.Deferred is { Count: > 0 } deferred)
            await output.WriteLineAsync($"  read from the state's target (--defer): {string.Join(", ", deferred)}");
    }

    private static string Consequence(ChangeKind kind) => kind switch
    {
        ChangeKind.Breaking => "downstream must rebuild",
        ChangeKind.NonBreaking => "downstream need not rebuild",
        _ => "downstream may need to rebuild",
    };
}
