using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Templating;

/// <summary>docs/authoring.md "Macros": .sql files under macros/ define functions every template may call.</summary>
public sealed class MacroTests
{
    private const string Yaml = """
        name: shop
        schemas:
          staging: shop_staging
          mart: shop_mart
        layers:
          - name: staging
            steps:
              - name: orders
                sql: staging/orders.sql
          - name: mart
            steps:
              - name: revenue
                sql: mart/revenue.sql
                materialize: replace
        """;

    private static TempPipeline Create(string macro, string revenueSql, string macroPath = "macros/money.sql") =>
        TempPipeline.Create(Yaml, ("staging/orders.sql", "SELECT 1 AS id, 1234 AS amount"), ("mart/revenue.sql", revenueSql), (macroPath, macro));

    private static readonly StepId Revenue = new("mart", "revenue");

    [Fact]
    public void A_macro_in_the_macros_folder_is_callable_from_every_step()
    {
        using var pipeline = Create("{{ func cents_to_reais(col) }}round({{ col }} / 100.0, 2){{ end }}\n",
            "SELECT {{ cents_to_reais \"o.amount\" }} AS reais FROM {{ ref \"staging.orders\" }} AS o");

        Assert.Contains("SELECT round(o.amount / 100.0, 2) AS reais FROM \"shop_staging\".\"orders\" AS o", pipeline.Build().Steps[Revenue].Sql);
    }

    [Fact]
    public void A_ref_inside_a_macro_is_an_edge_of_the_step_that_calls_it()
    {
        using var pipeline = Create("{{ func orders() }}{{ ref \"staging.orders\" }}{{ end }}", "SELECT o.id FROM {{ orders }} AS o");

        var workspace = pipeline.Build();
        Assert.Contains(new StepId("staging", "orders"), workspace.Dag.UpstreamOf(Revenue));
    }

    [Fact]
    public void An_error_inside_a_macro_points_at_the_macro_file_and_line()
    {
        using var pipeline = Create("-- money helpers\n{{ func cents_to_reais(col) }}\nround({{ col }} / {{ vars.cents }}, 2)\n{{ end }}",
            "SELECT {{ cents_to_reais \"amount\" }} AS reais FROM {{ ref \"staging.orders\" }}");

        Expect.Diagnostic(Expect.Single(pipeline.BuildErrors()), pipeline.Display("macros/money.sql"), 3, 27, "unknown variable 'vars.cents'", "no vars are defined");
    }

    [Fact]
    public void A_syntax_error_in_a_macro_file_points_at_the_macro_file()
    {
        using var pipeline = Create("{{ func cents_to_reais(col) }}\nround({{ col }\n{{ end }}", "SELECT 1 AS id");

        var error = pipeline.BuildErrors()[0];
        Assert.Equal((pipeline.Display("macros/money.sql"), 2), (error.Span!.File, error.Span.Line));
        Assert.StartsWith("template syntax:", error.Message);
    }

    [Fact]
    public void A_macro_may_not_take_the_name_of_an_engine_function()
    {
        using var pipeline = Create("{{ func ref(x) }}{{ x }}{{ end }}", "SELECT 1 AS id");

        Expect.Diagnostic(Expect.Single(pipeline.BuildErrors()), pipeline.Display("macros/money.sql"), 1, 4,
            "macro 'ref' would hide the engine's 'ref'", "give the macro another name");
    }

    [Fact]
    public void Two_files_may_not_define_one_macro()
    {
        using var pipeline = Create("{{ func reais(x) }}{{ x }}{{ end }}", "SELECT 1 AS id");
        pipeline.Write("macros/other.sql", "\n{{ func reais(x) }}{{ x }}{{ end }}");

        Expect.Diagnostic(Expect.Single(pipeline.BuildErrors()), pipeline.Display("macros/other.sql"), 2, 4,
            $"macro 'reais' is already defined in {pipeline.Display("macros/money.sql")}", "give one of them another name");
    }

    [Fact]
    public void Text_outside_a_function_in_a_macro_file_is_an_error()
    {
        using var pipeline = Create("SELECT 1;\n{{ func reais(x) }}{{ x }}{{ end }}", "SELECT 1 AS id");

        Assert.Contains("may only define functions", Assert.Single(pipeline.BuildErrors()).Message);
    }

    [Fact]
    public void A_changed_macro_changes_the_hash_of_the_steps_that_call_it_only()
    {
        using var pipeline = Create("{{ func reais(col) }}round({{ col }} / 100.0, 2){{ end }}",
            "SELECT {{ reais \"o.amount\" }} AS reais FROM {{ ref \"staging.orders\" }} AS o");
        var before = pipeline.Build().Steps;
        pipeline.Write("macros/money.sql", "{{ func reais(col) }}round({{ col }} / 100.0, 1){{ end }}");
        var after = pipeline.Build().Steps;

        Assert.NotEqual(before[Revenue].Hash, after[Revenue].Hash);
        Assert.Equal(before[new StepId("staging", "orders")].Hash, after[new StepId("staging", "orders")].Hash);
    }

    [Fact]
    public void A_macros_key_names_another_folder()
    {
        using var pipeline = TempPipeline.Create(Yaml.Replace("name: shop", "name: shop\nmacros: sql/macros"),
            ("staging/orders.sql", "SELECT 1 AS id"), ("mart/revenue.sql", "SELECT {{ one }} AS id"), ("sql/macros/one.sql", "{{ func one() }}1{{ end }}"));

        Assert.Contains("SELECT 1 AS id", pipeline.Build().Steps[Revenue].Sql);
    }

    [Fact]
    public void String_and_array_builtins_are_on_and_date_is_off()
    {
        using var pipeline = Create("", "SELECT '{{ \"pix\" | string.upcase }}' AS m, {{ [1, 2] | array.size }} AS n FROM {{ ref \"staging.orders\" }}");
        Assert.Contains("SELECT 'PIX' AS m, 2 AS n", pipeline.Build().Steps[Revenue].Sql);

        pipeline.Write("mart/revenue.sql", "SELECT '{{ date.now }}' AS d");
        Assert.Equal("unknown variable 'date'", Assert.Single(pipeline.BuildErrors()).Message);
    }
}
