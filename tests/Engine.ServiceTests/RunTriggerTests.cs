using System.Net;
using System.Text.Json;

namespace Lacrei.Engine.Tests;

/// <summary>SPEC §12: a POST starts a run in the background and answers 202 with where to follow it.</summary>
public sealed class RunTriggerTests
{
    [Fact]
    public async Task Whole_pipeline_trigger_is_202_with_a_location_and_the_run_succeeds()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();

        var response = await client.PostAsync("/api/etl/run", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await Service.JsonAsync(response)).GetProperty("run_id").GetString()!;
        Assert.Matches(@"^\d{8}T\d{6}Z-[0-9a-f]{6}$", runId);
        Assert.Equal($"/api/etl/runs/{runId}", response.Headers.Location?.OriginalString);
        var result = await service.WaitForRunAsync(runId);
        Assert.Equal("success", result.GetProperty("status").GetString());
        Assert.Equal("http", result.GetProperty("trigger").GetString());
        Assert.Equal("all", result.GetProperty("selection").GetString());
        Assert.Equal(6, result.GetProperty("steps").GetArrayLength());
        Assert.Equal("http", await pipeline.ScalarAsync<string>($"SELECT trigger FROM {{meta}}.runs WHERE run_id = '{runId}'"));
    }

    [Fact]
    public async Task Run_result_has_the_shape_of_spec_section_10()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();
        var runId = (await Service.JsonAsync(await client.PostAsync("/api/etl/run", null))).GetProperty("run_id").GetString()!;

        var result = await service.WaitForRunAsync(runId);

        Assert.Equal(["run_id", "status", "started_at", "finished_at", "trigger", "selection", "layers", "steps", "tests"],
            result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(runId, result.GetProperty("run_id").GetString());
        Assert.True(DateTimeOffset.Parse(result.GetProperty("finished_at").GetString()!) >= DateTimeOffset.Parse(result.GetProperty("started_at").GetString()!));
        Assert.Equal(["staging", "model", "mart"], result.GetProperty("layers").EnumerateObject().Select(p => p.Name));
        var staging = result.GetProperty("layers").GetProperty("staging");
        Assert.Equal(["rows", "steps", "seconds"], staging.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, staging.GetProperty("steps").GetInt32());
        Assert.Equal(10, staging.GetProperty("rows").GetInt64());
        var step = result.GetProperty("steps")[0];
        Assert.Equal("staging.customers", step.GetProperty("step").GetString());
        Assert.Equal("success", step.GetProperty("status").GetString());
        Assert.Equal(4, step.GetProperty("rows").GetInt64());
        Assert.Equal(JsonValueKind.Number, step.GetProperty("seconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, step.GetProperty("error").ValueKind);
        var tests = result.GetProperty("tests");
        Assert.True(tests.GetProperty("passed").GetInt32() > 0);
        Assert.Equal(0, tests.GetProperty("failed").GetInt32());
        Assert.Equal(JsonValueKind.Number, tests.GetProperty("warned").ValueKind);
    }

    [Fact]
    public async Task Layer_trigger_runs_only_that_layer()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();
        await service.WaitForRunAsync((await Service.JsonAsync(await client.PostAsync("/api/etl/run", null))).GetProperty("run_id").GetString()!);

        var response = await client.PostAsync("/api/etl/run/mart", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await service.WaitForRunAsync((await Service.JsonAsync(response)).GetProperty("run_id").GetString()!);
        Assert.Equal("mart", result.GetProperty("selection").GetString());
        Assert.Equal(["mart.daily_revenue", "mart.customer_totals", "mart.revenue_by_region"],
            result.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
    }

    [Fact]
    public async Task Any_selector_expression_is_accepted()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();

        var response = await client.PostAsync("/api/etl/run/+model.order_facts", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await service.WaitForRunAsync((await Service.JsonAsync(response)).GetProperty("run_id").GetString()!);
        Assert.Equal(["staging.customers", "staging.orders", "model.order_facts"],
            result.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
    }

    [Fact]
    public async Task Bad_selection_is_400_with_the_selector_error_and_starts_nothing()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();

        var response = await client.PostAsync("/api/etl/run/marts", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("--only marts: no layer or step 'marts'\n  hint: did you mean 'mart'?",
            (await Service.JsonAsync(response)).GetProperty("error").GetString()!.ReplaceLineEndings("\n"));
        var runs = await Service.JsonAsync(await client.GetAsync("/api/etl/runs"));
        Assert.Equal(0, runs.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task Selection_whose_upstream_was_never_built_is_400()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();

        var response = await client.PostAsync("/api/etl/run/mart", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cannot run mart.daily_revenue: it reads model.order_facts, which is not in the selection and has never been built",
            (await Service.JsonAsync(response)).GetProperty("error").GetString());
        // Refused before it ran: the server is free for the next trigger.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/etl/run", null)).StatusCode);
    }

    [Fact]
    public async Task Result_of_a_cli_run_is_rebuilt_from_the_run_log()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var cli = await pipeline.Engine("run", "--json");
        Assert.Equal(0, cli.ExitCode);
        var expected = JsonDocument.Parse(cli.Out).RootElement;
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Authorized();

        var response = await client.GetAsync($"/api/etl/runs/{expected.GetProperty("run_id").GetString()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var actual = await Service.JsonAsync(response);
        foreach (var key in new[] { "run_id", "status", "trigger", "selection", "steps" })
            Assert.Equal(expected.GetProperty(key).GetRawText(), actual.GetProperty(key).GetRawText());
        // Layer seconds are sums of the log's rounded step seconds, so only rows and steps must match exactly.
        foreach (var layer in expected.GetProperty("layers").EnumerateObject())
            foreach (var key in new[] { "rows", "steps" })
                Assert.Equal(layer.Value.GetProperty(key).GetInt64(), actual.GetProperty("layers").GetProperty(layer.Name).GetProperty(key).GetInt64());
        Assert.Equal(expected.GetProperty("tests").GetProperty("passed").GetInt32(), actual.GetProperty("tests").GetProperty("passed").GetInt32());
        var listed = (await Service.JsonAsync(await client.GetAsync("/api/etl/runs"))).GetProperty("runs")[0];
        Assert.Equal("cli", listed.GetProperty("trigger").GetString());
        Assert.Equal(23, listed.GetProperty("rows").GetInt64());
    }
}
