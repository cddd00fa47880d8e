using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>
/// Issue 23's configuration: <c>contract:</c> with typed <c>columns:</c>, <c>freshness:</c> on an
/// extract, and unit-test files — each problem at its file, line and column.
/// </summary>
public sealed class Issue23ConfigTests
{
    private static TempPipeline Create(string stepExtra, string extractExtra = "") => TempPipeline.Create($$"""
        name: shop
        schemas:
          staging: shop_staging
          mart: shop_mart
          meta: shop_meta
        sources:
          app: { schema: app }
        layers:
          - name: staging
            steps:
              - name: users
                extract:
                  source: app
                  table: users
                  key: id
                  columns: [id, updated_at]
        {{extractExtra}}
          - name: mart
            steps:
              - name: orders
                sql: orders.sql
                materialize: replace
                key: [id]
        {{stepExtra}}
        """, ("orders.sql", "SELECT id FROM {{ ref \"staging.users\" }}"));

    [Fact]
    public void Columns_keep_their_short_form_and_take_a_type_and_not_null()
    {
        using var pipeline = Create("""
                    contract: true
                    columns:
                      id: { type: bigint, not_null: true, description: The id. }
            """);

        var step = pipeline.Load().Steps.Single(s => s.Id.Name == "orders");

        Assert.True(step.Contract);
        var column = Assert.Single(step.Columns);
        Assert.Equal(("id", "The id.", "bigint", true), (column.Name, column.Description, column.Type, column.NotNull));
        Assert.Equal("The id.", step.ColumnDescriptions["id"]);
        Assert.Contains("breaks its contract", pipeline.Build().Steps[new StepId("mart", "orders")].Sql);
    }

    [Fact]
    public void A_contract_needs_a_type_for_every_column_and_a_select_to_bind()
    {
        using var pipeline = Create("""
                    contract: true
                    columns:
                      id: The id.
                      total: { type: "numeric(12" }
            """);

        var errors = pipeline.LoadErrors().Select(e => $"{e.Span?.Line},{e.Span?.Column}: {e.Message}").ToList();

        Assert.Contains("26,11: step 'mart.orders': column 'id' has no type, and the step has a contract", errors);
        Assert.Contains("27,26: step 'mart.orders': 'numeric(12' (column 'total') is not a type name", errors);
    }

    [Fact]
    public void Freshness_takes_two_durations_the_warning_first()
    {
        using var good = Create("", "          freshness: { warn_after: 2h, error_after: 1d }");
        Assert.Equal(new Freshness(TimeSpan.FromHours(2), TimeSpan.FromDays(1), good.Load().Steps.First().Extract!.Freshness!.Span),
            good.Load().Steps.First().Extract!.Freshness);

        using var bad = Create("", "          freshness: { warn_after: 2d, error_after: 1h, errror_after: 1h }");
        var errors = bad.LoadErrors().Select(e => e.Message).ToList();
        Assert.Contains("unknown key 'errror_after' in 'freshness' of 'extract' of step 'staging.users'", errors);
        Assert.Contains("'freshness' of 'extract' of step 'staging.users': warn_after (48h) is longer than error_after (1h)", errors);
    }

    [Fact]
    public void A_unit_test_file_is_checked_against_the_pipeline_at_its_lines()
    {
        using var pipeline = Create("");
        pipeline.Write("unit_tests/orders.yaml", """
            unit_tests:
              - name: ids
                step: mart.order
                given:
                  - ref: staging.userz
                    rows: [{ id: 1 }]
                  - source: app.users
                    columns: { id: "bigint; DROP TABLE x" }
                    rows: [{ id: [1] }]
                expect:
                  rows: [{ id: 1 }, { id: 2, extra: 3 }]
            """);

        var problems = Assert.Throws<PipelineException>(() => UnitTestLoader.Load(pipeline.Load(), new HashSet<string>())).Diagnostics
            .Select(d => $"{d.Span?.Line},{d.Span?.Column}: {d.Message}").ToList();

        Assert.Contains("3,11: unit test 'ids': unknown step 'mart.order'", problems);
        Assert.Contains("5,14: unit test 'ids': unknown step 'staging.userz' in ref", problems);
        Assert.Contains("8,18: unit test 'ids': 'bigint; DROP TABLE x' (column 'id') is not a type name", problems);
        Assert.Contains("9,22: rows of 'app.users' in unit test 'ids': the value of 'id' must be a single value, found a list", problems);
        Assert.Contains("11,14: expected rows of unit test 'ids': every expected row lists the same columns (id, extra)", problems);
    }
}
