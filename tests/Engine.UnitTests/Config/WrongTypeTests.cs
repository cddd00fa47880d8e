using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>SPEC §3: a value of the wrong type is an error at the value, saying what was expected and what was found.</summary>
public sealed class WrongTypeTests
{
    [Fact]
    public void Layers_written_as_a_mapping_must_be_a_list()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              mart:
                steps: []
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 5, 3, "'layers' must be a list, found a mapping");
    }

    [Fact]
    public void Key_written_as_a_mapping_must_be_a_list()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: customers
                    sql: customers.sql
                    materialize: upsert
                    key: { customer_id: 1 }
            """, ("customers.sql", "SELECT 1 AS customer_id"));

        var errors = pipeline.LoadErrors();

        Expect.Diagnostic(errors[0], pipeline.Display(), 10, 14, "'key' in step 'mart.customers' must be a list, found a mapping");
        // Without a usable key the upsert has none: reported too, at the materialization.
        Expect.Diagnostic(errors[1], pipeline.Display(), 9, 22, "step 'mart.customers' is an upsert and needs 'key'",
            "add 'key: [id]' naming the columns that identify a row");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Delete_missing_must_be_true_or_false()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: customers
                    sql: customers.sql
                    materialize: upsert
                    key: [customer_id]
                    delete_missing: maybe
            """, ("customers.sql", "SELECT 1 AS customer_id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 11, 25, "'delete_missing' in step 'mart.customers' must be true or false, found 'maybe'");
    }

    [Fact]
    public void A_step_must_be_a_mapping()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - customers.sql
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 7, 9, "a step of layer 'mart' must be a mapping (key: value lines), found 'customers.sql'");
    }

    [Fact]
    public void A_name_must_be_text_not_a_list()
    {
        using var pipeline = TempPipeline.Create("""
            name: [shop]
            schemas:
              mart: shop_mart
            layers: []
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 1, 7, "'name' in pipeline.yaml must be a text value, found a list");
    }

    [Fact]
    public void Delete_missing_applies_to_upserts_only()
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
                    materialize: replace
                    delete_missing: true
            """, ("revenue.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 10, 25, "step 'mart.revenue': 'delete_missing' applies to upsert steps only");
    }
}
