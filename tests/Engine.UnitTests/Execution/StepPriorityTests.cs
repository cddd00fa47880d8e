using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Tests.Execution;

/// <summary>Ready steps start longest remaining chain first, so the critical path is never queued behind short steps.</summary>
public sealed class StepPriorityTests
{
    private static StepId Id(string text) => StepId.TryParse(text, out var id) ? id : throw new ArgumentException(text);

    // s.small1 and s.small2 are independent; s.big feeds t.next, which feeds u.last.
    private static readonly Dag Dag = new(
        new[] { "s.small1", "s.small2", "s.big", "t.next", "u.last" }.Select(Id),
        [new Edge(Id("s.big"), Id("t.next"), new SourceSpan("pipeline.yaml", 1, 1)),
         new Edge(Id("t.next"), Id("u.last"), new SourceSpan("pipeline.yaml", 1, 1))]);

    private static List<string> StartOrder(StepPriority priority, params string[] ready) =>
        ready.Select(Id).OrderBy(priority.Of).Select(s => s.ToString()).ToList();

    [Fact]
    public void Without_history_the_step_with_the_longest_chain_behind_it_starts_first()
    {
        var priority = StepPriority.FromDurations(Dag, Dag.Order, new Dictionary<string, double>());

        Assert.Equal(["s.big", "s.small1", "s.small2"], StartOrder(priority, "s.small1", "s.small2", "s.big"));
    }

    [Fact]
    public void Recent_durations_weigh_the_chains()
    {
        var durations = new Dictionary<string, double> { ["s.small1"] = 0.1, ["s.small2"] = 5.0, ["s.big"] = 1.0, ["t.next"] = 1.0, ["u.last"] = 1.0 };
        var priority = StepPriority.FromDurations(Dag, Dag.Order, durations);

        Assert.Equal(["s.small2", "s.big", "s.small1"], StartOrder(priority, "s.small1", "s.small2", "s.big"));
    }

    [Fact]
    public void Only_selected_descendants_count()
    {
        var selected = new[] { "s.small1", "s.small2", "s.big" }.Select(Id).ToList();
        var durations = new Dictionary<string, double> { ["s.small1"] = 2.0, ["s.big"] = 1.0, ["t.next"] = 9.0, ["u.last"] = 9.0 };
        var priority = StepPriority.FromDurations(Dag, selected, durations);

        // s.small2 has no history: it counts as the average of the selected known ones (1.5).
        Assert.Equal(["s.small1", "s.small2", "s.big"], StartOrder(priority, "s.small1", "s.small2", "s.big"));
    }
}
