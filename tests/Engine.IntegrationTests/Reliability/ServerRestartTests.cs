using Lacrei.Engine.Demo;
using Npgsql;

namespace Lacrei.Engine.Tests.Reliability;

/// <summary>
/// Issue 8: PostgreSQL stopped and restarted during a run. On a private server of its own (the
/// shared test server must not stop under the other tests): the run fails with a clear message
/// and exit 1, nothing is half-applied, and the next run ends equal to a full refresh.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ServerRestartTests
{
    private static readonly string[] Marts = ["daily_revenue", "customer_totals"];

    [Fact]
    public async Task A_server_stopped_mid_step_fails_the_run_cleanly_and_the_next_run_is_correct()
    {
        await using var server = await ThrowawayPostgres.StartAsync(CancellationToken.None);
        var dir = Repo.CopyFixture(Repo.ShopFixture);
        // The run ends while the server is down, so it cannot release its lease: the next run
        // queues until the lease expires, which a short lease keeps short.
        File.WriteAllText(Path.Combine(dir, "pipeline.yaml"), "run_lease: 2s\n" + File.ReadAllText(Path.Combine(dir, "pipeline.yaml")));
        try
        {
            string[] Args(params string[] more) =>
                [.. more, "--project", Path.Combine(dir, "pipeline.yaml"), "--connection", server.ConnectionString, "--as-of", "2025-12-01"];
            Assert.Equal(0, (await EngineCli.RunAsync(Args("run"))).ExitCode);
            var before = await ContentAsync(server, "shop_mart");

            await ExecuteAsync(server, "UPDATE \"shop-source\".orders SET total = total + 1");
            File.AppendAllText(Path.Combine(dir, "model", "order_facts.sql"), "\nCROSS JOIN LATERAL (SELECT pg_sleep(3)) AS slow_down\n");
            var run = EngineCli.RunAsync(Args("run"));
            for (var i = 0; i < 400 && !await SleepingAsync(server); i++) await Task.Delay(25);
            await server.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(6)); // longer than the step's retries
            await server.StartAgainAsync();
            var outcome = await run;

            Assert.True(outcome.ExitCode == 1, outcome.ToString());
            Assert.True(outcome.Error.Contains("lost the connection to the database"), outcome.ToString());
            Assert.DoesNotContain("   at ", outcome.Error);
            Assert.Equal(before["daily_revenue"], (await ContentAsync(server, "shop_mart"))["daily_revenue"]);

            File.WriteAllText(Path.Combine(dir, "model", "order_facts.sql"),
                File.ReadAllText(Path.Combine(dir, "model", "order_facts.sql")).Replace("CROSS JOIN LATERAL (SELECT pg_sleep(3)) AS slow_down", ""));
            var next = await EngineCli.RunAsync(Args("run", "--wait"));
            Assert.True(next.ExitCode == 0, next.ToString());
            // The reference: a full refresh into a second set of schemas (same source, same journal).
            var refresh = await EngineCli.RunAsync(Args("run", "--full-refresh", "--var", "schemas.staging=shop_staging_fr",
                "--var", "schemas.model=shop_model_fr", "--var", "schemas.mart=shop_mart_fr", "--var", "schemas.seeds=shop_seeds_fr"));
            Assert.True(refresh.ExitCode == 0, refresh.ToString());
            Assert.Equal(await ContentAsync(server, "shop_mart_fr"), await ContentAsync(server, "shop_mart"));
            Assert.Equal(1L, await ScalarAsync(server, "SELECT count(*) FROM shop_pipeline.runs WHERE status IN ('interrupted', 'failed')"));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<bool> SleepingAsync(ThrowawayPostgres server) =>
        await ScalarAsync(server, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()") > 0;

    private static async Task<Dictionary<string, string>> ContentAsync(ThrowawayPostgres server, string schema)
    {
        var content = new Dictionary<string, string>();
        foreach (var table in Marts)
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM \"{schema}\".\"{table}\" AS t", connection);
            content[table] = (string)(await command.ExecuteScalarAsync())!;
        }
        return content;
    }

    private static async Task ExecuteAsync(ThrowawayPostgres server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(ThrowawayPostgres server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
