using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Tests.Graph;

/// <summary>SPEC §5: the DAG orders steps dependencies-first, stably, and answers ancestors and descendants.</summary>
public sealed class DagTests
{
    private static StepId Id(string text) => StepId.TryParse(text, out var id) ? id : throw new ArgumentException(text);

    /// <summary>Edges written as "upstream->step".</summary>
    private static Dag Build(string[] steps, params string[] edges) => new(
        steps.Select(Id),
        edges.Select(e => e.Split("->")).Select(p => new Edge(Id(p[0]), Id(p[1]), new SourceSpan("pipeline.yaml", 1, 1))));

    [Fact]
    public void Independent_steps_keep_their_declaration_order()
    {
        var dag = Build(["s.c", "s.a", "s.b"]);

        Assert.Equal(["s.c", "s.a", "s.b"], dag.Order.Select(s => s.ToString()));
    }

    [Fact]
    public void A_step_that_becomes_ready_goes_before_later_declared_ready_steps()
    {
        // x reads from z; y and w are independent. Declared: x, y, z, w.
        var dag = Build(["m.x", "m.y", "m.z", "m.w"], "m.z->m.x");

        Assert.Equal(["m.y", "m.z", "m.x", "m.w"], dag.Order.Select(s => s.ToString()));
    }

    [Fact]
    public void Dependencies_come_first_even_when_declared_later()
    {
        var dag = Build(["m.report", "m.facts", "s.orders"], "s.orders->m.facts", "m.facts->m.report");

        Assert.Equal(["s.orders", "m.facts", "m.report"], dag.Order.Select(s => s.ToString()));
    }

    [Fact]
    public void Order_does_not_depend_on_the_order_edges_are_given_in()
    {
        string[] steps = ["a.one", "a.two", "b.three", "b.four"];
        string[] edges = ["a.one->b.three", "a.two->b.three", "a.one->b.four"];

        var forward = Build(steps, edges).Order.Select(s => s.ToString()).ToList();
        var backward = Build(steps, [.. edges.Reverse()]).Order.Select(s => s.ToString()).ToList();

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Ancestors_and_descendants_are_transitive_and_exclude_the_step()
    {
        // orders → facts → {daily, totals}; customers → facts; daily → view
        var dag = Build(["s.orders", "s.customers", "m.facts", "r.daily", "r.totals", "r.view"],
            "s.orders->m.facts", "s.customers->m.facts", "m.facts->r.daily", "m.facts->r.totals", "r.daily->r.view");

        Assert.Equal(["m.facts", "s.customers", "s.orders"], dag.Ancestors(Id("r.daily")).Select(s => s.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["m.facts", "r.daily", "s.customers", "s.orders"], dag.Ancestors(Id("r.view")).Select(s => s.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["r.daily", "r.totals", "r.view"], dag.Descendants(Id("m.facts")).Select(s => s.ToString()).Order(StringComparer.Ordinal));
        Assert.Empty(dag.Descendants(Id("r.view")));
        Assert.Empty(dag.Ancestors(Id("s.orders")));
    }

    [Fact]
    public void Upstream_and_downstream_are_the_direct_neighbours()
    {
        var dag = Build(["s.orders", "m.facts", "r.daily"], "s.orders->m.facts", "m.facts->r.daily");

        Assert.Equal([Id("s.orders")], dag.UpstreamOf(Id("m.facts")));
        Assert.Equal([Id("r.daily")], dag.DownstreamOf(Id("m.facts")));
    }

    [Fact]
    public void A_reference_written_twice_is_one_edge()
    {
        var dag = Build(["s.orders", "m.facts"], "s.orders->m.facts", "s.orders->m.facts");

        Assert.Single(dag.Edges);
        Assert.Equal([Id("s.orders")], dag.UpstreamOf(Id("m.facts")));
    }

    [Fact]
    public void A_cycle_given_directly_is_an_error_with_its_path()
    {
        var error = Assert.Throws<PipelineException>(() => Build(["m.a", "m.b"], "m.a->m.b", "m.b->m.a"));

        Assert.Equal(ErrorKind.Config, error.Kind);
        Assert.Contains(Assert.Single(error.Diagnostics).Message, new[] { "dependency cycle: m.a → m.b → m.a", "dependency cycle: m.b → m.a → m.b" });
    }
}
