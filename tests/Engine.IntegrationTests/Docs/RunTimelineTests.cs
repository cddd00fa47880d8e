using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Docs;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Tests.Docs;

/// <summary>The timeline's arithmetic, without a database: lanes of concurrent steps and the critical path.</summary>
public sealed class RunTimelineTests
{
    private static readonly DateTime T0 = new(2025, 12, 1, 3, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Lanes_are_as_few_as_the_peak_concurrency_and_the_critical_path_is_the_longest_chain_by_duration()
    {
        // a (1 s) → c (2 s) is the longest chain; b (2 s) → d (0.5 s) ran beside it; e was skipped.
        var dag = Dag(("a", "c"), ("b", "d"), ("c", "e"));
        var steps = new[]
        {
            Step("a", 0, 1), Step("b", 0, 2), Step("c", 1, 3), Step("d", 2, 2.5),
            new TimelineStep("l.e", StepStatus.Skipped, 0, 0, null, null, "skipped: upstream step l.c failed", null),
        };

        var run = RunTimeline.Arrange(new RunTimeline("r", RunStatus.Partial, "cli", "all", 2, T0, T0.AddSeconds(3), null, [], []), steps, dag);

        Assert.Equal(["l.a", "l.c"], run.CriticalPath);
        Assert.Equal(2, run.Lanes);
        Assert.Equal([0, 1, 0, 1, -1], run.Steps.Select(s => s.Lane));
        Assert.Equal(["l.a", "l.c"], run.Steps.Where(s => s.Critical).Select(s => s.Step));
        Assert.Equal(3, run.WallSeconds);
    }

    [Fact]
    public void Without_the_pipeline_the_critical_path_is_the_longest_single_step()
    {
        var steps = new[] { Step("a", 0, 1), Step("b", 0.5, 3) };

        var run = RunTimeline.Arrange(new RunTimeline("r", RunStatus.Success, "cli", "all", 0, T0, T0.AddSeconds(3), null, [], []), steps, dag: null);

        Assert.Equal(["l.b"], run.CriticalPath);
    }

    private static TimelineStep Step(string name, double start, double end) =>
        new("l." + name, StepStatus.Success, 10, end - start, T0.AddSeconds(start), T0.AddSeconds(end), null, null);

    private static Dag Dag(params (string From, string To)[] edges)
    {
        var span = new SourceSpan("pipeline.yaml", 1, 1);
        var ids = edges.SelectMany(e => new[] { e.From, e.To }).Distinct().Order().Select(n => new StepId("l", n)).ToList();
        return new Dag(ids, edges.Select(e => new Edge(new StepId("l", e.From), new StepId("l", e.To), span)));
    }
}
