using Lacrei.Engine.Config;

namespace Lacrei.Engine.Tests.Templating;

/// <summary>SPEC §6: the rendered SQL is complete at any size; nothing is cut to fit a limit.</summary>
public sealed class LargeTemplateTests
{
    [Fact]
    public void A_template_that_renders_more_than_a_mebibyte_is_rendered_whole()
    {
        var rows = string.Join(",\n", Enumerable.Range(1, 3001).Select(i => $"({i}, '{new string('x', 400)}')"));
        var sql = "SELECT * FROM (VALUES\n" + rows + "\n) AS v(id, padding) -- {{ schemas.mart }}";
        using var pipeline = TemplatePipeline.Create(sql);
        var rendered = pipeline.Build().Steps[new StepId("mart", "revenue")].Sql;
        Assert.True(rendered.Length > 1 << 20, $"expected more than 1 MiB, rendered {rendered.Length} characters");
        Assert.Contains("(3001, '", rendered);
        Assert.EndsWith("-- \"shop_mart\"\n", rendered);
    }
}
