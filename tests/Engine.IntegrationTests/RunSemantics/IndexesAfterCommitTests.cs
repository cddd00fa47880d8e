using Npgsql;

namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// A step's <c>indexes:</c> are sent once it has committed, in a transaction of their own while
/// later steps run (issue 21). The run waits for them; one that cannot be built is a warning, not
/// a failure (the data is committed), and the step's next run builds it.
/// </summary>
public sealed class IndexesAfterCommitTests
{
    private static IsolatedPipeline WithIndex()
    {
        var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.EditFile("pipeline.yaml", yaml => "lock_timeout: 300ms\nlock_wait_limit: 1s\n" + yaml.Replace(
            "        description: Orders with their status normalised.\n",
            "        description: Orders with their status normalised.\n        indexes: [[customer_id, status]]\n"));
        return pipeline;
    }

    private const string IndexDefinition =
        "SELECT coalesce((SELECT indexdef FROM pg_indexes WHERE schemaname = '{staging_name}' AND indexname = 'orders_customer_id_status_idx'), 'none')";

    [Fact]
    public async Task A_run_ends_with_every_declared_index_built()
    {
        await using var pipeline = WithIndex();

        var run = await pipeline.Engine("run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.EndsWith("USING btree (customer_id, status)", await pipeline.ScalarAsync<string>(IndexDefinition.Replace("{staging_name}", pipeline.Schema("staging").Trim('"'))));
    }

    [Fact]
    public async Task An_atomic_run_builds_them_in_its_one_transaction()
    {
        await using var pipeline = WithIndex();

        var run = await pipeline.Engine("run", "--atomic");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.EndsWith("USING btree (customer_id, status)", await pipeline.ScalarAsync<string>(IndexDefinition.Replace("{staging_name}", pipeline.Schema("staging").Trim('"'))));
    }

    [Fact]
    public async Task An_index_a_writer_keeps_from_being_built_is_a_warning_and_the_next_run_builds_it()
    {
        await using var pipeline = WithIndex();
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var definition = IndexDefinition.Replace("{staging_name}", pipeline.Schema("staging").Trim('"'));
        await pipeline.ExecuteAsync("DROP INDEX {staging}.orders_customer_id_status_idx");
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET status = 'cancelled' WHERE id = 10");
        // A writer's lock (ROW EXCLUSIVE) lets the step write its rows but not build an index (SHARE).
        await using (var writer = new NpgsqlConnection(IsolatedPipeline.ConnectionString + ";Application Name=a-writer;Pooling=false"))
        {
            await writer.OpenAsync();
            await using var holding = await writer.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand(pipeline.Sql("LOCK TABLE {staging}.orders IN ROW EXCLUSIVE MODE"), writer, holding))
                await lockTable.ExecuteNonQueryAsync();

            var blocked = await pipeline.Engine("run", "--only", "staging.orders");

            Assert.True(blocked.ExitCode == 0, blocked.ToString());
            Assert.Contains("Step staging.orders: its indexes were not built", blocked.Error);
            Assert.Contains("its next run builds them", blocked.Error);
            Assert.Equal("cancelled", await pipeline.ScalarAsync<string>("SELECT status FROM {staging}.orders WHERE order_id = 10"));
            Assert.Equal("none", await pipeline.ScalarAsync<string>(definition));
        }
        await pipeline.ExecuteAsync("UPDATE {source:shop}.orders SET status = 'completed' WHERE id = 10");

        var next = await pipeline.Engine("run", "--only", "staging.orders");

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.EndsWith("USING btree (customer_id, status)", await pipeline.ScalarAsync<string>(definition));
    }
}
