using System.Net;

namespace Lacrei.Engine.Tests;

/// <summary>SPEC §6, §12: one run at a time per target; a trigger while one runs — here, in the CLI or elsewhere — gets 409 and its id.</summary>
public sealed class ConcurrentTriggerTests
{
    [Fact]
    public async Task Second_trigger_while_this_server_runs_gets_409_with_the_running_id()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        SlowStep.Add(pipeline);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();
        var first = (await Service.JsonAsync(await client.PostAsync("/api/etl/run", null))).GetProperty("run_id").GetString()!;

        var second = await client.PostAsync("/api/etl/run/mart", null);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var body = await Service.JsonAsync(second);
        Assert.Equal("a run is already in progress", body.GetProperty("error").GetString());
        Assert.Equal(first, body.GetProperty("run_id").GetString());
        Assert.Equal("success", (await service.WaitForRunAsync(first)).GetProperty("status").GetString());
        Assert.Equal(1L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.runs"));
    }

    [Fact]
    public async Task Ten_triggers_at_once_start_exactly_one_run()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        SlowStep.Add(pipeline);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostAsync("/api/etl/run", null)));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var runId = (await Service.JsonAsync(answers.Single(a => a.StatusCode == HttpStatusCode.Accepted))).GetProperty("run_id").GetString()!;
        foreach (var refused in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
            Assert.Equal(runId, (await Service.JsonAsync(refused)).GetProperty("run_id").GetString());
        Assert.Equal("success", (await service.WaitForRunAsync(runId)).GetProperty("status").GetString());
        Assert.Equal(1L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.runs"));
    }

    [Fact]
    public async Task Result_is_live_while_the_run_goes()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        SlowStep.Add(pipeline);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();
        var runId = (await Service.JsonAsync(await client.PostAsync("/api/etl/run", null))).GetProperty("run_id").GetString()!;

        var seen = new List<(string Status, string Slow, string? FinishedAt)>();
        var result = await service.WaitForRunAsync(runId, poll =>
        {
            var slow = poll.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "mart.revenue_by_region");
            seen.Add((poll.GetProperty("status").GetString()!, slow.GetProperty("status").GetString()!, poll.GetProperty("finished_at").GetString()));
        });

        Assert.Contains(("running", "running", null), seen);
        Assert.Equal(6, result.GetProperty("steps").GetArrayLength());
        Assert.Equal(("success", "success"), (seen[^1].Status, seen[^1].Slow));
    }

    [Fact]
    public async Task Trigger_while_the_cli_holds_the_lock_gets_409_with_the_cli_run_id()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        SlowStep.Add(pipeline);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();
        var cli = pipeline.Engine("run");
        await WaitForSlowStepAsync(pipeline);
        var cliRun = await pipeline.ScalarAsync<string>("SELECT run_id FROM {meta}.runs WHERE status = 'running'");

        var response = await client.PostAsync("/api/etl/run", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await Service.JsonAsync(response);
        Assert.Equal(cliRun, body.GetProperty("run_id").GetString());
        Assert.StartsWith("another run holds the lock on meta schema", body.GetProperty("detail").GetString());
        // The refused trigger left no trace, and the API follows the CLI's run from the run log.
        Assert.Equal("running", (await Service.JsonAsync(await client.GetAsync($"/api/etl/runs/{cliRun}"))).GetProperty("status").GetString());
        Assert.Equal(0, (await cli).ExitCode);
        Assert.Equal("success", (await Service.JsonAsync(await client.GetAsync($"/api/etl/runs/{cliRun}"))).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/etl/run", null)).StatusCode);
    }

    private static async Task WaitForSlowStepAsync(IsolatedPipeline pipeline)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await pipeline.ScalarAsync<bool>(
                    $"SELECT EXISTS (SELECT FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep%{pipeline.Suffix}%' AND pid <> pg_backend_pid())"))
                return;
            await Task.Delay(25);
        }
        throw new TimeoutException("the CLI run never reached its slow step");
    }
}
