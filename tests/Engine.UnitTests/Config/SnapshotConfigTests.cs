using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>docs/authoring.md "Snapshots": what a snapshot step must say, and what it refuses (each at its place, with a hint and a link).</summary>
public sealed class SnapshotConfigTests
{
    private const string What = "step 'mart.history'";

    /// <summary>A snapshot step whose YAML lines after <c>materialize: snapshot</c> (line 10) are <paramref name="extra"/>.</summary>
    private static TempPipeline Create(string extra) =>
        TempPipeline.Create($"""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: history
                    sql: history.sql
                    materialize: snapshot
            {extra}
            """, ("history.sql", "SELECT 1 AS id, 'a' AS specialty, 'SP' AS state"));

    private static Lacrei.Engine.Diagnostics.Diagnostic SingleError(TempPipeline pipeline) => Expect.Single(pipeline.LoadErrors());

    [Fact]
    public void A_snapshot_loads_its_key_strategy_and_hard_deletes()
    {
        using var pipeline = Create("        key: [id]\n        check_cols: [specialty, state]\n        hard_deletes: delete");

        var step = pipeline.Build().Steps[new StepId("mart", "history")].Step;

        Assert.Equal(Materialization.Snapshot, step.Materialize);
        Assert.Equal(["specialty", "state"], step.Snapshot!.CheckCols.ToArray());
        Assert.Equal((false, null, HardDeletes.Delete, "check"), (step.Snapshot.AllColumns, step.Snapshot.UpdatedAt, step.Snapshot.HardDeletes, step.Snapshot.Strategy));
    }

    [Fact]
    public void Check_cols_all_and_updated_at_load_as_their_strategies()
    {
        using var all = Create("        key: [id]\n        check_cols: all");
        using var updatedAt = Create("        key: [id]\n        updated_at: changed_at");

        Assert.Equal((true, HardDeletes.Invalidate), (all.Build().Steps[new StepId("mart", "history")].Step.Snapshot!.AllColumns,
            all.Build().Steps[new StepId("mart", "history")].Step.Snapshot!.HardDeletes));
        Assert.Equal(("changed_at", "timestamp"), (updatedAt.Build().Steps[new StepId("mart", "history")].Step.Snapshot!.UpdatedAt,
            updatedAt.Build().Steps[new StepId("mart", "history")].Step.Snapshot!.Strategy));
    }

    [Fact]
    public void A_snapshot_needs_a_key()
    {
        using var pipeline = Create("        check_cols: all");

        var error = SingleError(pipeline);
        Expect.Diagnostic(error, pipeline.Display(), 9, 22, $"{What} is a snapshot and needs 'key'",
            "add 'key: [id]' naming the columns that identify a row across its versions");
        Assert.Equal("docs/reference.md#step-materialize", error.See);
    }

    [Fact]
    public void A_snapshot_needs_a_strategy()
    {
        using var pipeline = Create("        key: [id]");

        Expect.Diagnostic(SingleError(pipeline), pipeline.Display(), 9, 22, $"{What} is a snapshot and needs 'check_cols' or 'updated_at'",
            "check_cols: [specialty, state] makes a new version when one of those columns changes (check_cols: all: any column but the key); updated_at: <column> when the row's timestamp grows");
    }

    [Fact]
    public void A_snapshot_has_one_strategy()
    {
        using var pipeline = Create("        key: [id]\n        check_cols: all\n        updated_at: changed_at");

        var error = SingleError(pipeline);
        Expect.Diagnostic(error, pipeline.Display(), 12, 21, $"{What}: 'check_cols' and 'updated_at' are two ways of telling a new version; keep one",
            "updated_at misses an update that does not move the timestamp; check_cols compares the columns themselves");
        Assert.Equal("docs/reference.md#step-updated_at", error.See);
    }

    [Theory]
    [InlineData("cursor: changed_at", "cursor", "a snapshot reads its whole SELECT every run; to make a new version when a timestamp grows, write updated_at: <column>")]
    [InlineData("delete_missing: true", "delete_missing", "a snapshot's vanished keys follow hard_deletes: invalidate (the default), ignore or delete")]
    public void A_snapshot_has_no_cursor_or_delete_missing(string line, string key, string hint)
    {
        using var pipeline = Create($"        key: [id]\n        check_cols: all\n        {line}");

        Expect.Diagnostic(SingleError(pipeline), pipeline.Display(), 12, 9 + key.Length + 2, $"{What}: a snapshot has no '{key}'", hint);
    }

    [Fact]
    public void A_snapshot_has_no_scope()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: history
                    sql: history.sql
                    materialize: snapshot
                    key: [id]
                    check_cols: all
                    scope: scope.sql
            """, ("history.sql", "SELECT 1 AS id"), ("scope.sql", "SELECT 1 AS id"));

        Expect.Diagnostic(SingleError(pipeline), pipeline.Display(), 12, 16, $"{What}: a snapshot has no 'scope'",
            "a snapshot reads its whole SELECT every run and keeps history; remove 'scope'");
    }

    [Fact]
    public void A_check_column_or_key_column_must_be_among_the_declared_columns()
    {
        using var pipeline = Create("        key: [ident]\n        check_cols: [specialty, stat]\n        columns:\n          id: The professional.\n          specialty: Her specialty.\n          state: Where she works.");

        var errors = pipeline.LoadErrors();
        Assert.Equal(2, errors.Count);
        Expect.Diagnostic(errors[0], pipeline.Display(), 10, 15, $"{What}: key column 'ident' is not among the step's columns", "known columns: id, specialty, state");
        Expect.Diagnostic(errors[1], pipeline.Display(), 11, 33, $"{What}: check column 'stat' is not among the step's columns", "did you mean 'state'?");
    }

    [Fact]
    public void An_unknown_hard_deletes_mode_is_refused_with_a_suggestion()
    {
        using var pipeline = Create("        key: [id]\n        check_cols: all\n        hard_deletes: invalidated");

        Expect.Diagnostic(SingleError(pipeline), pipeline.Display(), 12, 23, $"{What}: hard_deletes 'invalidated' is not one of invalidate, ignore, delete",
            "did you mean 'invalidate'?");
    }

    [Fact]
    public void Snapshot_keys_on_another_step_are_refused()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: totals
                    sql: totals.sql
                    materialize: replace
                    check_cols: all
            """, ("totals.sql", "SELECT 1 AS id"));

        Expect.Diagnostic(SingleError(pipeline), pipeline.Display(), 10, 21, "step 'mart.totals': 'check_cols' applies to snapshot steps only",
            "add 'materialize: snapshot' to keep the history of each key's row");
    }
}
