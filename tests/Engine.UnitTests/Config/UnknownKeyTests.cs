using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>SPEC §3: an unknown key is an error at its line and column that suggests the nearest valid key.</summary>
public sealed class UnknownKeyTests
{
    [Fact]
    public void Unknown_top_level_key_suggests_the_nearest_key()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layer:
              - name: mart
                steps: []
            """);

        var errors = pipeline.LoadErrors();

        Assert.Equal(2, errors.Count);
        Expect.Diagnostic(errors[0], pipeline.Display(), 4, 1, "unknown key 'layer' in pipeline.yaml", "did you mean 'layers'?");
        Expect.Diagnostic(errors[1], pipeline.Display(), 1, 1, "pipeline.yaml needs 'layers'", "add 'layers:' with at least one layer and its steps");
    }

    [Fact]
    public void Unknown_layer_key_suggests_the_nearest_key()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                descripton: Marts for Metabase.
                steps: []
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 6, 5, "unknown key 'descripton' in a layer", "did you mean 'description'?");
    }

    [Fact]
    public void Unknown_step_key_depend_on_suggests_depends_on()
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
                    depend_on: [mart.orders]
                  - name: orders
                    sql: orders.sql
            """, ("revenue.sql", "SELECT 1 AS id"), ("orders.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 9, "unknown key 'depend_on' in a step of layer 'mart'", "did you mean 'depends_on'?");
        Assert.Equal("depend_on".Length, error.Span!.Length);
    }

    [Fact]
    public void Unknown_step_key_materialise_suggests_materialize()
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
                    materialise: replace
            """, ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 9, 9, "unknown key 'materialise' in a step of layer 'mart'", "did you mean 'materialize'?");
    }

    [Fact]
    public void Unknown_key_unlike_any_valid_key_lists_the_valid_keys()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            owner: data-team
            schemas:
              mart: shop_mart
            layers: []
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 2, 1, "unknown key 'owner' in pipeline.yaml",
            "known keys: name, sql_root, vars, schemas, sources, migrations, seeds, targets, layers, rejects, seed_types, settings, " +
            "lock_timeout, lock_wait_limit, statement_timeout, run_lease, secret_vars, macros, analyze_after, pseudonym_key");
    }

    [Fact]
    public void Unknown_keys_of_sources_and_targets_are_reported_too()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            sources:
              app: { conection: SHOP_URL, schema: shop-source }
            targets:
              ci: { schema_sufix: _ci }
            layers: []
            """);

        var errors = pipeline.LoadErrors();

        Assert.Equal(2, errors.Count);
        Expect.Diagnostic(errors[0], pipeline.Display(), 5, 10, "unknown key 'conection' in source 'app'", "did you mean 'connection'?");
        Expect.Diagnostic(errors[1], pipeline.Display(), 7, 9, "unknown key 'schema_sufix' in target 'ci'", "did you mean 'schema_suffix'?");
    }
}
