using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary><c>indexes:</c> become lp_index calls sent once the step has committed (created when missing, no lock when there).</summary>
public sealed class IndexesTests
{
    private static TempPipeline Create(string indexes, string materialize = "upsert") => TempPipeline.Create($$"""
        name: shop
        schemas:
          mart: shop_mart
        layers:
          - name: mart
            steps:
              - name: orders
                sql: orders.sql
                materialize: {{materialize}}
                key: [id]
                indexes: {{indexes}}
        """, ("orders.sql", "SELECT 1 AS id, 2 AS user_id, now() AS created_at"));

    [Fact]
    public void Each_index_is_sent_after_the_step_commits_not_in_its_transaction()
    {
        using var pipeline = Create("[user_id, [user_id, created_at]]");

        var step = pipeline.Build().Steps[new StepId("mart", "orders")];

        Assert.DoesNotContain("lp_index", step.Sql);
        Assert.Equal("""
            SELECT "pipeline_meta".lp_index(p_table => '"shop_mart"."orders"', p_index => 'orders_user_id_idx', p_columns => ARRAY['user_id']::text[]);
            SELECT "pipeline_meta".lp_index(p_table => '"shop_mart"."orders"', p_index => 'orders_user_id_created_at_idx', p_columns => ARRAY['user_id', 'created_at']::text[]);

            """, step.IndexSql);
    }

    [Fact]
    public void An_invalid_column_and_a_script_step_are_refused()
    {
        using var invalid = Create("[[\"user id\"]]");
        using var script = Create("[user_id]", materialize: "script");

        Assert.Equal("step 'mart.orders': index column 'user id' is not a valid SQL name", Expect.Single(invalid.LoadErrors()).Message);
        Assert.Equal("step 'mart.orders': 'indexes' applies to tables the engine manages", Expect.Single(script.LoadErrors()).Message);
    }
}
