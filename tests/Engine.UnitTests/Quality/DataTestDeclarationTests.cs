using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Quality;

/// <summary>SPEC §11: a badly declared data test is a configuration error at its line in pipeline.yaml.</summary>
public sealed class DataTestDeclarationTests
{
    private static Diagnostic Load(string tests) => Assert.Single(LoadAll(tests));

    private static IReadOnlyList<Diagnostic> LoadAll(string tests)
    {
        var error = Assert.Throws<PipelineException>(() =>
        {
            using var pipeline = TempPipeline.Create($"""
                name: shop
                schemas:
                  mart: shop_mart
                layers:
                  - name: mart
                    steps:
                      - name: orders
                        sql: orders.sql
                        tests:
                          {tests}
                """, ("orders.sql", "SELECT 1 AS order_id"));
            pipeline.Build();
        });
        return error.Diagnostics;
    }

    [Fact]
    public void Unknown_kind_names_the_nearest_one()
    {
        var error = Load("- uniqe: [order_id]");

        Assert.Equal((10, 13, "unknown key 'uniqe' in a test of step 'mart.orders'", "did you mean 'unique'?"),
            (error.Span!.Line, error.Span.Column, error.Message, error.Hint));
    }

    [Fact]
    public void Unknown_option_of_a_kind_names_the_nearest_one()
    {
        var errors = LoadAll("- accepted_values: { column: status, valuez: [a] }");

        Assert.Equal(("unknown key 'valuez' in test 'accepted_values' of step 'mart.orders'", "did you mean 'values'?"), (errors[0].Message, errors[0].Hint));
        Assert.Equal("test 'accepted_values' of step 'mart.orders' needs 'values'", errors[1].Message);
    }

    [Fact]
    public void A_relationship_needs_its_parent_step()
    {
        var error = Load("- relationships: { column: order_id }");

        Assert.Equal("test 'relationships' of step 'mart.orders' needs 'to'", error.Message);
    }

    [Fact]
    public void Severity_is_error_or_warn()
    {
        var error = Load("- not_null: { columns: [order_id], severity: warning }");

        Assert.Equal("test 'not_null' of step 'mart.orders': severity must be 'error' or 'warn', found 'warning'", error.Message);
        Assert.Equal("known severities: error, warn", error.Hint);
    }
}
