using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Tests.State;

/// <summary><c>state:modified</c> and <c>state:new</c> compose with the rest of the selection grammar.</summary>
public sealed class StateSelectorTests
{
    private static readonly StepId A = new("staging", "a"), B = new("model", "b"), C = new("mart", "c"), D = new("mart", "d");

    private static Selector Selector(StateSets? state) =>
        new(new Dag([A, B, C, D], [new Edge(A, B, Span), new Edge(B, C, Span)]),
            new[] { A, B, C, D }.Select(id => new StepConfig(id, 0, id.Layer, id.Name, "", Materialization.Replace, [], false, [], [], null,
                System.Collections.Immutable.ImmutableDictionary<string, string>.Empty, Span)).ToList(), state);

    private static readonly SourceSpan Span = new("pipeline.yaml", 1, 1);

    private static readonly StateSets State = new(new HashSet<StepId> { B }, new HashSet<StepId> { D });

    [Fact]
    public void Modified_with_a_plus_adds_its_descendants()
    {
        Assert.Equal([B, C], Selector(State).Select(new Selector.Selection("state:modified+")));
    }

    [Fact]
    public void New_and_modified_combine_and_exclude_applies()
    {
        Assert.Equal([B, D], Selector(State).Select(new Selector.Selection("state:modified,state:new")));
        Assert.Equal([C, D], Selector(State).Select(new Selector.Selection("state:modified+,state:new", Exclude: "state:modified")));
    }

    [Fact]
    public void Nothing_modified_selects_nothing_without_an_error()
    {
        Assert.Empty(Selector(new StateSets(new HashSet<StepId>(), new HashSet<StepId>())).Select(new Selector.Selection("state:modified+")));
    }

    [Fact]
    public void A_state_selector_without_a_state_is_a_usage_error()
    {
        var error = Assert.Throws<PipelineException>(() => Selector(null).Select(new Selector.Selection("state:modified+")));

        Assert.Equal("--only state:modified: state selectors need --state DIR", error.Diagnostics[0].Message);
    }

    [Fact]
    public void An_unknown_state_selector_suggests_the_known_ones()
    {
        var error = Assert.Throws<PipelineException>(() => Selector(State).Select(new Selector.Selection("state:modifed")));

        Assert.Equal("--only state:modifed: no state selector 'modifed'", error.Diagnostics[0].Message);
        Assert.Contains("state:modified", error.Diagnostics[0].Hint);
    }
}
