using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Graph;

/// <summary>
/// SPEC §5, every form of the selection grammar, on the example pipeline:
/// staging.customers → staging.orders → model.order_facts → mart.daily_revenue → mart.revenue_by_region,
/// with model.order_facts → mart.customer_totals; tags: daily (both staging steps), views (revenue_by_region).
/// </summary>
public sealed class SelectorTests
{
    private static readonly Lazy<Workspace> Shop = new(() =>
        Workspace.Build(Project.Resolve(PipelineLoader.Load(Path.Combine(Repo.ShopFixture, "pipeline.yaml")), new ProjectOptions()),
            new RunContext("r1", new DateOnly(2025, 12, 1))));

    private static string Select(string? only = null, string? exclude = null, string? from = null) =>
        string.Join(", ", Shop.Value.Selector.Select(new Selector.Selection(only, exclude, from)));

    private static Diagnostic Refused(string? only = null, string? exclude = null, string? from = null)
    {
        var error = Assert.Throws<PipelineException>(() => Select(only, exclude, from));
        Assert.Equal(ErrorKind.Usage, error.Kind);
        return Assert.Single(error.Diagnostics);
    }

    [Fact]
    public void No_selection_is_every_step_in_run_order()
    {
        Assert.Equal("staging.customers, staging.orders, model.order_facts, mart.daily_revenue, mart.customer_totals, mart.revenue_by_region", Select());
    }

    [Fact]
    public void A_layer_selects_its_steps()
    {
        Assert.Equal("mart.daily_revenue, mart.customer_totals, mart.revenue_by_region", Select("mart"));
    }

    [Fact]
    public void A_step_selects_itself()
    {
        Assert.Equal("mart.daily_revenue", Select("mart.daily_revenue"));
    }

    [Fact]
    public void A_tag_selects_the_tagged_steps()
    {
        Assert.Equal("staging.customers, staging.orders", Select("tag:daily"));
    }

    [Fact]
    public void Plus_before_adds_ancestors()
    {
        Assert.Equal("staging.customers, staging.orders, model.order_facts, mart.daily_revenue", Select("+mart.daily_revenue"));
    }

    [Fact]
    public void Plus_after_adds_descendants()
    {
        Assert.Equal("model.order_facts, mart.daily_revenue, mart.customer_totals, mart.revenue_by_region", Select("model.order_facts+"));
    }

    [Fact]
    public void Plus_on_both_sides_adds_ancestors_and_descendants()
    {
        Assert.Equal("staging.customers, staging.orders, model.order_facts, mart.customer_totals", Select("+mart.customer_totals+"));
        Assert.Equal("staging.customers, staging.orders, model.order_facts, mart.daily_revenue, mart.revenue_by_region", Select("+mart.daily_revenue+"));
    }

    [Fact]
    public void Plus_applies_to_layers_and_tags_too()
    {
        Assert.Equal("staging.customers, staging.orders, model.order_facts, mart.daily_revenue, mart.revenue_by_region", Select("+tag:views"));
        Assert.Equal("model.order_facts, mart.daily_revenue, mart.customer_totals, mart.revenue_by_region", Select("model+"));
    }

    [Fact]
    public void Comma_lists_are_unions_in_run_order()
    {
        Assert.Equal("staging.orders, mart.customer_totals", Select("mart.customer_totals, staging.orders"));
        Assert.Equal("staging.customers, staging.orders, mart.revenue_by_region", Select("tag:views,staging"));
    }

    [Fact]
    public void Exclude_removes_from_everything_when_only_is_absent()
    {
        Assert.Equal("staging.customers, staging.orders, model.order_facts", Select(exclude: "mart"));
    }

    [Fact]
    public void Exclude_takes_the_same_grammar()
    {
        Assert.Equal("mart.daily_revenue, mart.customer_totals", Select("mart", exclude: "tag:views"));
        Assert.Equal("staging.customers, staging.orders", Select(exclude: "model.order_facts+"));
    }

    [Fact]
    public void From_selects_a_step_and_everything_downstream()
    {
        Assert.Equal("model.order_facts, mart.daily_revenue, mart.customer_totals, mart.revenue_by_region", Select(from: "model.order_facts"));
        Assert.Equal("mart.daily_revenue, mart.customer_totals", Select(from: "model.order_facts", exclude: "model.order_facts,tag:views"));
    }

    [Fact]
    public void Unknown_layer_or_step_lists_the_names()
    {
        var error = Refused("nope");

        Expect.Diagnostic(error, ErrorKind.Usage, "--only nope: no layer or step 'nope'",
            "known names: staging, model, mart, staging.customers, staging.orders, model.order_facts, mart.daily_revenue, mart.customer_totals, mart.revenue_by_region");
    }

    [Fact]
    public void Misspelt_step_suggests_the_nearest()
    {
        Expect.Diagnostic(Refused("+mart.daily_revenu"), ErrorKind.Usage, "--only mart.daily_revenu: no step 'mart.daily_revenu'", "did you mean 'mart.daily_revenue'?");
    }

    [Fact]
    public void Misspelt_layer_in_exclude_suggests_the_nearest()
    {
        Expect.Diagnostic(Refused(exclude: "mrt"), ErrorKind.Usage, "--exclude mrt: no layer or step 'mrt'", "did you mean 'mart'?");
    }

    [Fact]
    public void Unknown_tag_suggests_the_nearest_tag()
    {
        Expect.Diagnostic(Refused("tag:dialy"), ErrorKind.Usage, "--only tag:dialy: no step has tag 'dialy'", "did you mean 'tag:daily'?");
    }

    [Fact]
    public void Unknown_from_step_suggests_the_nearest()
    {
        Expect.Diagnostic(Refused(from: "model.orders_facts"), ErrorKind.Usage, "--from model.orders_facts: no step 'model.orders_facts'", "did you mean 'model.order_facts'?");
    }

    [Fact]
    public void A_selection_matching_nothing_is_an_error()
    {
        Expect.Diagnostic(Refused("mart", exclude: "mart"), ErrorKind.Usage, "the selection 'mart; exclude mart' matches no step",
            "run 'engine plan' to see the steps, or check --exclude");
    }
}
