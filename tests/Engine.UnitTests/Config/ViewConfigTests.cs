using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>docs/authoring.md "Views": what a view step may be, and what reading one means.</summary>
public sealed class ViewConfigTests
{
    private static TempPipeline Create(string viewExtra = "", string viewSql = "SELECT 1 AS id", string readerSql = "SELECT v.id FROM {{ ref \"mart.totals\" }} AS v") =>
        TempPipeline.Create($"""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: totals
                    sql: totals.sql
                    materialize: view{viewExtra}
                  - name: reader
                    sql: reader.sql
                    materialize: incremental
                    key: [id]
                    scope: reader.scope.sql
            """, ("totals.sql", viewSql), ("reader.sql", readerSql), ("reader.scope.sql", "SELECT 1 AS id"));

    [Fact]
    public void A_view_step_loads_as_a_view_and_is_read_with_ref()
    {
        using var pipeline = Create();

        var workspace = pipeline.Build();
        Assert.Equal(Materialization.View, workspace.Steps[new StepId("mart", "totals")].Step.Materialize);
        Assert.Contains(new StepId("mart", "totals"), workspace.Dag.UpstreamOf(new StepId("mart", "reader")));
    }

    [Fact]
    public void A_view_has_no_indexes()
    {
        using var pipeline = Create("\n        indexes: [[id]]");

        Expect.Diagnostic(Expect.Single(pipeline.LoadErrors()), pipeline.Display(), 10, 18, "step 'mart.totals': a view has no indexes of its own",
            "index the tables it reads, or make the step a table (materialize: replace)");
    }

    [Fact]
    public void A_view_is_one_select()
    {
        using var pipeline = Create(viewSql: "SELECT 1 AS id;\nSELECT 2 AS id");

        Assert.Contains("one SELECT", Assert.Single(pipeline.BuildErrors()).Message);
    }

    [Fact]
    public void Changes_of_a_view_is_refused_because_a_view_has_no_change_log()
    {
        using var pipeline = Create(readerSql: "SELECT c.id FROM {{ changes \"mart.totals\" }} AS c");

        Expect.Diagnostic(Expect.Single(pipeline.BuildErrors()), pipeline.Display("reader.sql"), 1, 21,
            "step 'mart.totals' is a view: it stores no rows, so it has no change log",
            "read it with ref: when what the view reads changes, this step recomputes everything");
    }
}
