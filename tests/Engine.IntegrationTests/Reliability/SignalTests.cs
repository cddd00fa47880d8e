namespace Lacrei.Engine.Tests.Reliability;

/// <summary>
/// Issue 8: Ctrl-C (SIGINT) and SIGTERM during a step cancel its running statement, roll the
/// step back, mark the run cancelled and exit 130 / 143 (128 + the signal number).
/// </summary>
[Trait("Category", "Reliability")]
public sealed class SignalTests
{
    private const string Comment = "Revenue per region over all days.";

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_cancels_the_statement_rolls_the_step_back_and_marks_the_run_cancelled(string signal, int exitCode)
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
        pipeline.EditFile("mart/revenue_by_region.sql",
            sql => sql.Replace(Comment, "written by the cancelled run") + $"\nSELECT pg_sleep(30), '{pipeline.Suffix}';\n");

        using var engine = EngineProcess.Start(pipeline, "run", "--only", "mart.revenue_by_region");
        await Faults.WaitForSleepAsync(pipeline);
        await engine.SignalAsync(signal);
        // Longer than the 30 s sleep: a signal that does not reach the engine shows as the run's own
        // exit code and output, not as a timeout (how the ignored SIGINT of a background job was found).
        var outcome = await engine.WaitAsync(TimeSpan.FromSeconds(45));

        Assert.True(outcome.ExitCode == exitCode, outcome.ToString());
        Assert.Contains("cancelled", outcome.Error);
        Assert.False(await Faults.SleepIsRunningAsync(pipeline), "the step's statement still runs on the server");
        Assert.Equal(Comment, await pipeline.ScalarAsync<string>("SELECT obj_description('{mart}.revenue_by_region'::regclass)"));
        Assert.Equal("cancelled", await pipeline.ScalarAsync<string>("SELECT status FROM {meta}.runs ORDER BY started_at DESC LIMIT 1"));
        Assert.Equal("failed", await pipeline.ScalarAsync<string>(
            "SELECT status FROM {meta}.run_steps WHERE step = 'mart.revenue_by_region' ORDER BY started_at DESC NULLS LAST LIMIT 1"));
    }
}
