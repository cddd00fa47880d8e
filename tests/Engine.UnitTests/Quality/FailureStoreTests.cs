using Lacrei.Engine.Config;
using Lacrei.Engine.Quality;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Quality;

/// <summary>docs/authoring.md "Keep what failed": where what failed is kept, and under which names.</summary>
public sealed class FailureStoreTests
{
    private static TempPipeline Create(string schemas = "") => TempPipeline.Create($"""
        name: shop
        schemas:
          mart: shop_mart
          meta: shop_pipeline{schemas}
        layers:
          - name: mart
            steps:
              - name: totals
                sql: totals.sql
                materialize: replace
                tests:
                  - accepted_values: {"{"} column: region, values: [SP], store_failures: true {"}"}
                  - not_null: [region]
        """, ("totals.sql", "SELECT 'SP' AS region"));

    [Fact]
    public void The_failures_schema_defaults_to_the_meta_schema_with_failures_and_test_names_become_table_names()
    {
        using var pipeline = Create();
        var workspace = pipeline.Build();
        var step = workspace.Steps[new StepId("mart", "totals")];
        var store = FailureStore.None(workspace.Project);

        Assert.Equal("\"shop_pipeline_failures\".\"mart__totals__accepted_values_region\"", store.TestTable(step.Step, step.Tests[0].Config));
        Assert.Equal("\"shop_pipeline_failures\".\"mart__totals\"", store.StepTable(step.Step));
        Assert.Equal([true, false], step.Tests.Select(store.Stores));
        Assert.True(store.KeepsAfterFailure(step));
    }

    [Fact]
    public void Schemas_failures_names_the_failures_schema_and_long_names_are_cut_distinctly()
    {
        using var pipeline = Create("\n  failures: shop_failures");
        var workspace = pipeline.Build();
        var step = workspace.Steps[new StepId("mart", "totals")];
        var store = new FailureStore(workspace.Project, storeEveryTest: true, keepFailedSteps: false);
        var longTest = step.Tests[1].Config with { Name = new string('x', 80) };
        var otherLongTest = step.Tests[1].Config with { Name = new string('x', 79) + "y" };

        var table = store.TestTable(step.Step, longTest);
        Assert.StartsWith("\"shop_failures\".\"mart__totals__xxx", table);
        Assert.Equal(63, table.Split('.')[1].Trim('"').Length);
        Assert.NotEqual(table, store.TestTable(step.Step, otherLongTest));
        Assert.Equal([true, true], step.Tests.Select(store.Stores));
    }
}
