using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>SPEC §3: names from pipeline.yaml that reach SQL are validated at load, before any SQL exists.</summary>
public sealed class IdentifiersInYamlTests
{
    [Fact]
    public void Schema_name_with_an_injection_is_refused_at_the_value()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: 'x"; DROP TABLE t; --'
            layers: []
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 3, 9, "schema 'mart' is not a valid SQL name: 'x\"; DROP TABLE t; --'", Identifier.Rule);
    }

    [Fact]
    public void Table_and_key_column_names_are_validated()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: customers
                    table: customers;drop
                    sql: customers.sql
                    materialize: upsert
                    key: [customer id]
            """, ("customers.sql", "SELECT 1 AS id"));

        var errors = pipeline.LoadErrors();

        Assert.Equal(2, errors.Count);
        Expect.Diagnostic(errors[0], pipeline.Display(), 8, 16, "step 'mart.customers': table name 'customers;drop' is not a valid SQL name", Identifier.Rule);
        Expect.Diagnostic(errors[1], pipeline.Display(), 11, 14, "step 'mart.customers': key column 'customer id' is not a valid SQL name", Identifier.Rule);
    }

    [Fact]
    public void Hyphenated_source_schema_is_valid()
    {
        using var pipeline = TempPipeline.Create("""
            name: lacrei
            schemas:
              mart: lacreisaude_mart
            sources:
              app: { connection: LACREI_SOURCE_URL, schema: lacreisaude-relacional }
            layers: []
            """);

        var source = pipeline.Load().Sources["app"];

        Assert.Equal(("lacreisaude-relacional", "LACREI_SOURCE_URL"), (source.Schema, source.ConnectionEnvVar));
    }
}
