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

    [Fact]
    public void On_a_first_run_the_chain_behind_the_largest_source_starts_first_though_another_is_longer()
    {
        // a.big (a large source) feeds b.big; a.small feeds b.small, c.small and d.small: more steps, less data.
        var dag = new Dag(new[] { "a.small", "a.big", "b.small", "b.big", "c.small", "d.small" }.Select(Id),
            [new Edge(Id("a.small"), Id("b.small"), Span), new Edge(Id("b.small"), Id("c.small"), Span), new Edge(Id("c.small"), Id("d.small"), Span),
             new Edge(Id("a.big"), Id("b.big"), Span)]);
        var extracts = new HashSet<StepId> { Id("a.small"), Id("a.big") };
        var sizes = new Dictionary<StepId, long> { [Id("a.small")] = 1_000_000, [Id("a.big")] = 200_000_000 };

        var estimates = FirstRunEstimate.FromSizes(dag, extracts, sizes);
        var byCount = StepPriority.FromDurations(dag, dag.Order, new Dictionary<string, double>());
        var bySize = StepPriority.FromDurations(dag, dag.Order, new Dictionary<string, double>(), estimates);

        Assert.Equal(["a.small", "a.big"], StartOrder(byCount, "a.big", "a.small"));
        Assert.Equal(["a.big", "a.small"], StartOrder(bySize, "a.big", "a.small"));
        // A step reads what its upstream steps hold: b.big as much as its source, c.small as a.small.
        Assert.Equal(estimates[Id("a.big")], estimates[Id("b.big")]);
        Assert.Equal(estimates[Id("a.small")], estimates[Id("c.small")]);
    }

    [Fact]
    public void A_table_that_exists_is_what_its_readers_read()
    {
        var dag = new Dag(new[] { "a.src", "b.mid", "c.end" }.Select(Id), [new Edge(Id("a.src"), Id("b.mid"), Span), new Edge(Id("b.mid"), Id("c.end"), Span)]);
        var sizes = new Dictionary<StepId, long> { [Id("a.src")] = 100_000_000, [Id("b.mid")] = 1_000_000 };

        var estimates = FirstRunEstimate.FromSizes(dag, new HashSet<StepId> { Id("a.src") }, sizes);

        // b.mid reads its source's 100 MB; c.end reads b.mid's table as it is (1 MB), not what b.mid read.
        Assert.Equal(estimates[Id("a.src")], estimates[Id("b.mid")]);
        Assert.Equal(estimates[Id("b.mid")] / 100, estimates[Id("c.end")], 6);
    }

    private static readonly SourceSpan Span = new("pipeline.yaml", 1, 1);
}
