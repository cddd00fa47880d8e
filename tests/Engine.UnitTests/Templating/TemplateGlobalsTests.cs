using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Templating;

/// <summary>SPEC §4: what each name renders to; every name from YAML or --var comes out validated and quoted.</summary>
public sealed class TemplateGlobalsTests
{
    private static string Render(string revenueSql, ProjectOptions? options = null)
    {
        using var pipeline = TemplatePipeline.Create(revenueSql);
        return pipeline.Build(options).Steps[new StepId("mart", "revenue")].Sql;
    }

    [Fact]
    public void This_renders_the_steps_quoted_table()
    {
        Assert.Equal("CREATE OR REPLACE VIEW \"shop_mart\".\"revenue_daily\" AS SELECT 1\n", Render("CREATE OR REPLACE VIEW {{ this }} AS SELECT 1"));
    }

    [Fact]
    public void Source_renders_the_quoted_table_of_a_hyphenated_schema()
    {
        Assert.Equal("SELECT * FROM \"lacreisaude-relacional\".\"lacreiid_user\"\n", Render("SELECT * FROM {{ source \"app\" \"lacreiid_user\" }}"));
    }

    [Fact]
    public void Source_schema_renders_quoted()
    {
        Assert.Equal("CREATE SCHEMA \"lacreisaude-relacional\"\n", Render("CREATE SCHEMA {{ sources.app.schema }}"));
    }

    [Fact]
    public void Ref_renders_the_quoted_table_of_the_step()
    {
        Assert.Equal("SELECT * FROM \"shop_staging\".\"orders\"\n", Render("SELECT * FROM {{ ref \"staging.orders\" }}"));
    }

    [Fact]
    public void Run_as_of_and_run_id_come_from_the_run_context()
    {
        Assert.Equal("SELECT DATE '2025-12-01' AS as_of, 'r1' AS run_id\n", Render("SELECT DATE '{{ run.as_of }}' AS as_of, '{{ run.id }}' AS run_id"));
    }

    [Fact]
    public void Schemas_render_quoted_and_follow_the_target()
    {
        using var pipeline = TemplatePipeline.Create("SELECT * FROM {{ schemas.mart }}.patients");
        pipeline.Write("pipeline.yaml", File.ReadAllText(pipeline.YamlPath).Replace("layers:", "targets:\n  ci: { schema_suffix: _ci_42 }\nlayers:"));

        var sql = pipeline.Build(new ProjectOptions("ci")).Steps[new StepId("mart", "revenue")].Sql;

        Assert.Equal("SELECT * FROM \"shop_mart_ci_42\".patients\n", sql);
    }

    [Fact]
    public void Vars_render_raw_and_follow_var_overrides()
    {
        Assert.Equal("SELECT 'America/Sao_Paulo'\n", Render("SELECT '{{ vars.timezone }}'"));
        Assert.Equal("SELECT 'UTC'\n", Render("SELECT '{{ vars.timezone }}'", new ProjectOptions(null, ["timezone=UTC"])));
    }

    [Fact]
    public void Schema_overrides_reach_refs_and_this()
    {
        var sql = Render("INSERT INTO {{ this }} SELECT * FROM {{ ref \"staging.orders\" }}", new ProjectOptions(null, ["schemas.staging=dev_staging", "schemas.mart=dev_mart"]));

        Assert.Equal("INSERT INTO \"dev_mart\".\"revenue_daily\" SELECT * FROM \"dev_staging\".\"orders\"\n", sql);
    }

    [Fact]
    public void Ref_records_a_dependency_at_the_place_it_was_written()
    {
        using var pipeline = TemplatePipeline.Create("""
            SELECT o.id
            FROM {{ ref "staging.orders" }} AS o
            """);

        var reference = Assert.Single(pipeline.Build().Steps[new StepId("mart", "revenue")].Refs);

        Assert.Equal(("staging.orders", pipeline.Display("mart/revenue.sql"), 2, 9), (reference.Text, reference.Span.File, reference.Span.Line, reference.Span.Column));
    }

    [Fact]
    public void Rendering_twice_gives_the_same_sql_and_hash()
    {
        using var pipeline = TemplatePipeline.Create("SELECT * FROM {{ ref \"staging.orders\" }} WHERE day <= DATE '{{ run.as_of }}'", materialize: "replace");

        var first = pipeline.Build().Steps[new StepId("mart", "revenue")];
        var second = pipeline.Build().Steps[new StepId("mart", "revenue")];

        Assert.Equal(first.Sql, second.Sql);
        Assert.Equal(64, first.Hash.Length);
        Assert.Equal(first.Hash, second.Hash);
    }

    [Fact]
    public void Ref_to_a_seed_renders_the_seed_table_and_an_unknown_seed_is_an_error()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
              seeds: shop_seeds
            seeds: seeds
            layers:
              - name: mart
                steps:
                  - name: statuses
                    sql: statuses.sql
            """, ("seeds/order_statuses.csv", "raw_status,status\ncompleted,completed\n"), ("statuses.sql", "SELECT * FROM {{ ref \"seeds.order_statuses\" }}"));

        Assert.Equal("SELECT * FROM \"shop_seeds\".\"order_statuses\"\n", pipeline.Build().Steps[new StepId("mart", "statuses")].Sql);

        pipeline.Write("statuses.sql", "SELECT * FROM {{ ref \"seeds.order_status\" }}");
        Expect.Diagnostic(Expect.Single(pipeline.BuildErrors()), pipeline.Display("statuses.sql"), 1, 18, "unknown seed 'seeds.order_status'", "did you mean 'order_statuses'?");
    }
}
