using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Tests.Templating;

/// <summary>SPEC §6: incremental steps with a scope read upstream change logs with <c>changes</c>.</summary>
public sealed class ChangesTemplateTests
{
    private const string TotalsSql =
        "SELECT o.id FROM {{ ref \"staging.orders\" }} AS o {{ if is_incremental }}WHERE o.id IN (SELECT id FROM {{ scope }}){{ end }}";

    private static TempPipeline Create(string scopeSql, string ordersMaterialize = "upsert", string totalsSql = TotalsSql) => TempPipeline.Create($$"""
        name: shop
        schemas:
          staging: shop_staging
          mart: shop_mart
        layers:
          - name: staging
            steps:
              - name: orders
                sql: orders.sql
                materialize: {{ordersMaterialize}}
                key: [id]
                sensitive: [gender]
          - name: mart
            steps:
              - name: totals
                sql: totals.sql
                scope: totals.scope.sql
                materialize: incremental
                key: [id]
                tests:
                  - not_null: [id]
                  - unique: [id]
        """, ("orders.sql", "SELECT 1 AS id"), ("totals.scope.sql", scopeSql),
        ("totals.sql", totalsSql));

    [Fact]
    public void The_upstream_step_logs_its_changes_and_the_step_renders_both_ways()
    {
        using var pipeline = Create("SELECT id FROM {{ changes \"staging.orders\" }} AS o");
        var workspace = pipeline.Build();
        var totals = workspace.Steps[new StepId("mart", "totals")];
        var orders = workspace.Steps[new StepId("staging", "orders")];

        Assert.Equal(["staging.orders"], totals.ChangeProducers.Select(s => s.ToString()));
        Assert.Contains(new StepId("staging", "orders"), workspace.Dag.UpstreamOf(totals.Step.Id));
        Assert.Contains("WHERE o.id IN (SELECT id FROM lp_scope)", totals.Sql);
        Assert.Contains("p_step => 'mart.totals', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => false, p_scope_table => 'lp_scope', p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100)", totals.Sql);
        Assert.DoesNotContain("lp_scope", totals.FullSql);
        Assert.Contains("p_step => 'mart.totals', p_rows_table => 'lp_step_rows', p_delete_missing => true, p_full_refresh => false, p_track => false, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100)", totals.FullSql);
        Assert.Contains("p_step => 'staging.orders', p_rows_table => 'lp_step_rows', p_delete_missing => false, p_full_refresh => false, p_track => true, p_step_setting => 'lacrei_pipeline.step', p_fillfactor => 100)", orders.Sql);
        Assert.Contains("k.consumer = ANY (ARRAY['mart.totals']::text[]) HAVING count(*) = 1", orders.Sql);
    }

    [Fact]
    public void A_log_keeps_the_key_and_the_columns_its_readers_name_and_a_reader_sees_only_those()
    {
        using var pipeline = Create("SELECT o.id FROM {{ changes \"staging.orders\" \"region\" \"id\" }} AS o WHERE o.region = 'SP'");
        var workspace = pipeline.Build();
        var totals = workspace.Steps[new StepId("mart", "totals")];
        var orders = workspace.Steps[new StepId("staging", "orders")];

        Assert.Equal(["id", "region"], workspace.ChangeLogs[new StepId("staging", "orders")].Columns.ToArray());
        Assert.Contains("lp_change_log_columns(p_step => 'staging.orders', p_columns => ARRAY['id', 'region']::text[]);", orders.Sql);
        Assert.Contains("(SELECT r.\"id\", r.\"region\" FROM ", totals.Sql);
        // The current values are each key's latest logged new values: the orders' table is not read.
        Assert.Contains("UNION ALL SELECT n.\"id\", n.\"region\" FROM (SELECT latest.\"id\", latest.\"region\" FROM (SELECT DISTINCT ON (a.\"id\") c.after IS NULL AS lp_gone, ", totals.Sql);
        Assert.Contains("jsonb_populate_record(NULL::\"shop_staging\".\"orders\", coalesce(c.after, c.image)) AS a", totals.Sql);
        Assert.Contains("ORDER BY a.\"id\", c.seq DESC) AS latest WHERE NOT latest.lp_gone)", totals.Sql);
        Assert.DoesNotContain("FROM \"shop_staging\".\"orders\" AS t", totals.Sql);
        Assert.DoesNotContain("r.*", totals.Sql);
        // The reader that reads a log last deletes what every reader has read.
        Assert.Contains(".changes AS c WHERE c.step = 'staging.orders'", totals.Sql[totals.Sql.IndexOf("INSERT INTO", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void A_sensitive_column_is_refused_in_changes()
    {
        using var pipeline = Create("SELECT id FROM {{ changes \"staging.orders\" \"gender\" }} AS o");

        var error = Expect.Single(pipeline.BuildErrors());

        Assert.Equal("column 'gender' of step 'staging.orders' is sensitive, so its change log does not keep it", error.Message);
        Assert.Equal((pipeline.Display("totals.scope.sql"), 1, 19), (error.Span!.File, error.Span.Line, error.Span.Column));
    }

    [Fact]
    public void Changed_keeps_only_rows_whose_named_columns_differ_and_the_log_keeps_those_columns()
    {
        using var pipeline = Create("SELECT o.id FROM {{ changed \"staging.orders\" \"region\" }} AS o");
        var workspace = pipeline.Build();
        var totals = workspace.Steps[new StepId("mart", "totals")];

        Assert.Equal(["id", "region"], workspace.ChangeLogs[new StepId("staging", "orders")].Columns.ToArray());
        // Inserted (key only), removed, or logged with another region than the table's now.
        Assert.Contains("WHERE l.key_only OR NOT EXISTS (SELECT 1 FROM \"shop_staging\".\"orders\" AS t WHERE t.\"id\" = l.\"id\" " +
                        "AND (t.\"region\") IS NOT DISTINCT FROM (l.\"region\"))", totals.Sql);
        Assert.Contains("SELECT l.\"id\", l.\"region\" FROM lp_logged AS l WHERE NOT l.key_only", totals.Sql);
        Assert.Contains("UNION ALL SELECT t.\"id\", t.\"region\" FROM \"shop_staging\".\"orders\" AS t WHERE (t.\"id\") IN (SELECT m.\"id\" FROM lp_moved AS m)", totals.Sql);
    }

    [Fact]
    public void Before_is_each_changed_keys_first_logged_image_and_leaves_out_keys_inserted_since()
    {
        using var pipeline = Create("SELECT o.id FROM {{ before \"staging.orders\" \"region\" }} AS o");
        var workspace = pipeline.Build();
        var totals = workspace.Steps[new StepId("mart", "totals")];

        Assert.Equal(["id", "region"], workspace.ChangeLogs[new StepId("staging", "orders")].Columns.ToArray());
        Assert.Contains("(SELECT f.\"id\", f.\"region\" FROM (SELECT DISTINCT ON (r.\"id\") c.key_only, r.\"id\", r.\"region\" FROM ", totals.Sql);
        Assert.Contains("WHERE c.step = 'staging.orders' AND c.seq > coalesce((SELECT k.consumed FROM ", totals.Sql);
        Assert.Contains("ORDER BY r.\"id\", c.seq) AS f WHERE NOT f.key_only)", totals.Sql);
        // The table is not read: the images are all there is.
        Assert.DoesNotContain("FROM \"shop_staging\".\"orders\" AS t", totals.Sql);
    }

    [Fact]
    public void A_log_read_only_when_a_step_goes_on_keeps_the_same_columns_under_full_refresh()
    {
        // Before, a --full-refresh rendered only the whole SELECT, so the orders' log kept its key
        // alone and its statements hashed otherwise: the next normal run restarted the log and
        // recomputed the orders' readers whole, as if their SQL had changed.
        using var pipeline = Create("SELECT id FROM {{ changes \"staging.orders\" }} AS o", totalsSql:
            "SELECT o.id FROM {{ if is_incremental }}{{ before \"staging.orders\" \"region\" }}{{ else }}{{ ref \"staging.orders\" }}{{ end }} AS o");
        var project = pipeline.Resolve();
        var normal = Workspace.Build(project, new RunContext("r1", new DateOnly(2025, 12, 1)));
        var fullRefresh = Workspace.Build(project, new RunContext("r1", new DateOnly(2025, 12, 1), FullRefresh: true));
        var orders = new StepId("staging", "orders");

        Assert.Equal(["id", "region"], fullRefresh.ChangeLogs[orders].Columns.ToArray());
        Assert.Equal(normal.Steps[orders].StateHash, fullRefresh.Steps[orders].StateHash);
    }

    [Fact]
    public void Before_refuses_a_sensitive_column()
    {
        using var pipeline = Create("SELECT id FROM {{ before \"staging.orders\" \"gender\" }} AS o");

        var error = Expect.Single(pipeline.BuildErrors());

        Assert.Equal("column 'gender' of step 'staging.orders' is sensitive, so its change log does not keep it", error.Message);
        Assert.Equal((pipeline.Display("totals.scope.sql"), 1, 19), (error.Span!.File, error.Span.Line, error.Span.Column));
    }

    [Theory]
    [InlineData("SELECT id FROM {{ changed \"staging.orders\" }} AS o", "changed \"staging.orders\" names no column whose change matters")]
    [InlineData("SELECT id FROM {{ changed \"staging.orders\" \"gender\" }} AS o", "column 'gender' of step 'staging.orders' is sensitive, so its change log does not keep it")]
    public void Changed_needs_a_column_it_may_log(string scope, string message)
    {
        using var pipeline = Create(scope);

        var error = Expect.Single(pipeline.BuildErrors());

        Assert.Equal(message, error.Message);
        Assert.Equal((pipeline.Display("totals.scope.sql"), 1, 19), (error.Span!.File, error.Span.Line, error.Span.Column));
    }

    [Fact]
    public void Changes_of_a_step_without_a_key_are_refused()
    {
        using var pipeline = Create("SELECT id FROM {{ changes \"staging.orders\" }} AS o", ordersMaterialize: "script");

        var error = Expect.Single(pipeline.BuildErrors());

        Assert.Equal("step 'staging.orders' has no key, so its changes cannot be tracked", error.Message);
        Assert.Equal((pipeline.Display("totals.scope.sql"), 1, 19), (error.Span!.File, error.Span.Line, error.Span.Column));
    }

    [Theory]
    [InlineData("changes")]
    [InlineData("changed")]
    [InlineData("before")]
    public void Change_logs_are_unknown_outside_a_scoped_step(string function)
    {
        using var pipeline = TemplatePipeline.Create($"SELECT id FROM {{{{ {function} \"staging.orders\" \"id\" }}}} AS o");

        Assert.Equal($"unknown variable '{function}'", Expect.Single(pipeline.BuildErrors()).Message);
    }

    [Fact]
    public void Row_level_tests_of_a_scoped_step_have_a_variant_for_the_recomputed_rows_and_unique_keys_ask_the_catalog()
    {
        using var pipeline = Create("SELECT id FROM {{ changes \"staging.orders\" }} AS o");
        var tests = pipeline.Build().Steps[new StepId("mart", "totals")].Tests;

        Assert.Equal("SELECT * FROM lp_step_rows WHERE \"id\" IS NULL", tests[0].RecomputedSql);
        Assert.Null(tests[0].PrimaryKeySql);
        Assert.Null(tests[1].RecomputedSql);
        Assert.Contains("c.contype = 'p'", tests[1].PrimaryKeySql);
    }
}
