namespace Lacrei.Engine.Tests.Reliability;

/// <summary>
/// Issue 8: the step's backend terminated (pg_terminate_backend) on every attempt. A lost
/// connection is transient, so the step is retried (RetryTests shows one kill survived); when
/// every retry is killed too, the step fails with a message naming the lost connection, exit 1,
/// nothing of it applied, and the next run is correct.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class ConnectionLossTests
{
    private const string Comment = "Revenue per region over all days.";

    [Fact]
    public async Task A_step_whose_every_retry_loses_its_connection_fails_cleanly_and_the_next_run_is_correct()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        var marts = await Shop.SnapshotAsync(pipeline);
        pipeline.EditFile("mart/revenue_by_region.sql",
            sql => sql.Replace(Comment, "second version") + $"\nSELECT pg_sleep(1), '{pipeline.Suffix}';\n");

        var run = pipeline.Engine("run", "--only", "mart.revenue_by_region");
        var killed = 0;
        while (!run.IsCompleted)
        {
            killed += await Faults.TerminateSleepAsync(pipeline);
            await Task.Delay(20);
        }
        var outcome = await run;

        Assert.Equal(4, killed); // the first attempt and its three retries
        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Equal(3, outcome.Error.Split("retrying in").Length - 1);
        Assert.True(outcome.Error.Contains("lost the connection to the database"), outcome.ToString());
        Assert.Contains("hint: the step was rolled back; run again (or --resume) when the server is back", outcome.Error);
        Assert.Equal(Comment, await pipeline.ScalarAsync<string>("SELECT obj_description('{mart}.revenue_by_region'::regclass)"));
        Assert.Equal("failed", await pipeline.ScalarAsync<string>("SELECT status FROM {meta}.runs ORDER BY started_at DESC LIMIT 1"));
        Assert.StartsWith("lost the connection to the database", await pipeline.ScalarAsync<string>(
            "SELECT error FROM {meta}.run_steps WHERE step = 'mart.revenue_by_region' ORDER BY started_at DESC NULLS LAST LIMIT 1"));

        var next = await pipeline.Engine("run");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal("second version", await pipeline.ScalarAsync<string>("SELECT obj_description('{mart}.revenue_by_region'::regclass)"));
        Assert.Equal(marts, await Shop.SnapshotAsync(pipeline));
    }
}
