using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.State;

public enum StateStatus { New, Modified }

/// <summary>A node that differs from the state: a step (its SQL or its configuration) or a seed (its content).</summary>
/// <param name="Differs">What differs: <c>sql</c>, <c>config</c>, <c>seed</c>; empty for a new node.</param>
public sealed record NodeChange(StepId Node, StateStatus Status, IReadOnlyList<string> Differs);

/// <summary>
/// The project now against a state's manifest (dbt's <c>state:modified</c> and <c>state:new</c>):
/// a step is modified when its target-independent SQL hash or configuration hash differ, a seed
/// when its content does. Steps the state has and the project no longer has are listed as removed.
/// </summary>
public sealed class StateDiff
{
    private StateDiff(Manifest state, Manifest now, IReadOnlyList<NodeChange> changes, IReadOnlyList<string> removed)
        => (State, Now, Changes, Removed) = (state, now, changes, removed);

    public Manifest State { get; }

    /// <summary>The project now, as a manifest without columns.</summary>
    public Manifest Now { get; }

    /// <summary>In the project's order: seeds first, then steps as they run.</summary>
    public IReadOnlyList<NodeChange> Changes { get; }

    public IReadOnlyList<string> Removed { get; }

    public StateSets Sets => new(
        Changes.Where(c => c.Status == StateStatus.Modified).Select(c => c.Node).ToHashSet(),
        Changes.Where(c => c.Status == StateStatus.New).Select(c => c.Node).ToHashSet());

    public ManifestStep? Before(StepId step) => State.Steps.FirstOrDefault(s => s.Step == step.ToString());

    public ManifestStep? After(StepId step) => Now.Steps.FirstOrDefault(s => s.Step == step.ToString());

    public static StateDiff Compare(Manifest state, Manifest now)
    {
        var changes = new List<NodeChange>();
        var seeds = state.Seeds.ToDictionary(s => s.Seed, s => s.Hash);
        foreach (var seed in now.Seeds)
        {
            StepId.TryParse(seed.Seed, out var id);
            if (!seeds.TryGetValue(seed.Seed, out var hash)) changes.Add(new NodeChange(id, StateStatus.New, []));
            else if (hash != seed.Hash) changes.Add(new NodeChange(id, StateStatus.Modified, ["seed"]));
        }
        var steps = state.Steps.ToDictionary(s => s.Step);
        foreach (var step in now.Steps)
        {
            StepId.TryParse(step.Step, out var id);
            if (!steps.TryGetValue(step.Step, out var before))
            {
                changes.Add(new NodeChange(id, StateStatus.New, []));
                continue;
            }
            var differs = new List<string>();
            if (before.SqlHash != step.SqlHash) differs.Add("sql");
            if (before.ConfigHash != step.ConfigHash) differs.Add("config");
            if (differs.Count > 0) changes.Add(new NodeChange(id, StateStatus.Modified, differs));
        }
        var current = now.Steps.Select(s => s.Step).ToHashSet();
        return new StateDiff(state, now, changes, state.Steps.Select(s => s.Step).Where(s => !current.Contains(s)).ToList());
    }
}
