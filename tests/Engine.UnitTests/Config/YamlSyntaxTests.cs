using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>Files that are not valid YAML, or are empty, are errors at the offending line with a hint.</summary>
public sealed class YamlSyntaxTests
{
    [Fact]
    public void Duplicate_yaml_key_is_reported_at_the_repeated_key()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
                    sql: revenue_v2.sql
            """, ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 9, "invalid YAML: Duplicate key sql",
            "each key may appear once in a mapping; remove or rename the repeated one");
    }

    [Fact]
    public void Tab_used_for_indentation_is_reported_at_the_tab()
    {
        using var pipeline = TempPipeline.Create(
            "name: shop\n" +
            "schemas:\n" +
            "  mart: shop_mart\n" +
            "layers:\n" +
            "  - name: mart\n" +
            "    steps:\n" +
            "\t  - name: revenue\n" +
            "\t    sql: revenue.sql\n", ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 7, 1, "invalid YAML: While scanning a mapping, found invalid tab as indentation.",
            "YAML does not allow tabs for indentation; use spaces");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    public void Empty_file_says_what_to_start_with(string yaml)
    {
        using var pipeline = TempPipeline.Create(yaml);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 1, 1, "pipeline.yaml is empty", "start with 'name:' and 'layers:' (see docs/reference.md#top-level)");
    }

    [Fact]
    public void A_second_colon_in_a_plain_value_is_reported_at_that_colon()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart: marts
            layers: []
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 3, 18, "invalid YAML: While scanning a plain scalar value, found invalid mapping.");
    }

    [Fact]
    public void A_file_that_is_a_list_must_be_a_mapping()
    {
        using var pipeline = TempPipeline.Create("""
            - name: mart
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 1, 1, "pipeline.yaml must be a mapping (key: value lines), found a list");
    }
}
