using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Tests.Templating;

/// <summary>SPEC §6: an error in rendered SQL is shown at the line and column of the template the user edits.</summary>
public sealed class TemplateLineMapTests
{
    [Fact]
    public void Lines_without_expressions_map_to_themselves_after_a_loop_that_wrote_several_lines()
    {
        const string template = "SELECT\n{{ for c in [1, 2, 3] }}    c{{ c }},\n{{ end }}    o.totl\nFROM t";
        const string rendered = "SELECT\n    c1,\n    c2,\n    c3,\n    o.totl\nFROM t";

        var map = new TemplateLineMap(template, rendered);

        Assert.Equal((3, 14), map.Map(5, 5)); // "o.totl" after "{{ end }}    "
        Assert.Equal((4, 1), map.Map(6, 1));
        Assert.Equal((1, 1), map.Map(1, 1));
    }

    [Fact]
    public void A_column_before_an_expression_is_exact_and_one_inside_it_points_at_the_expression()
    {
        const string template = "SELECT a FROM {{ ref \"x.y\" }} AS t WHERE t.bad = 1";
        const string rendered = "SELECT a FROM \"s\".\"y\" AS t WHERE t.bad = 1";

        var map = new TemplateLineMap(template, rendered);

        Assert.Equal((1, 8), map.Map(1, 8));
        Assert.Equal((1, 15), map.Map(1, 17));
        Assert.Equal((1, template.IndexOf("t.bad", StringComparison.Ordinal) + 1), map.Map(1, rendered.IndexOf("t.bad", StringComparison.Ordinal) + 1));
    }

    [Fact]
    public void A_line_an_expression_changed_maps_between_the_lines_around_it()
    {
        const string template = "SELECT\n  {{ vars.cols }}\nFROM t\nWHERE x";
        const string rendered = "SELECT\n  a, b\nFROM t\nWHERE x";

        Assert.Equal((2, 3), new TemplateLineMap(template, rendered).Map(2, 6));
    }
}
