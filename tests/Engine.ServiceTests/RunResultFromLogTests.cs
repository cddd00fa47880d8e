using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lacrei.Engine.Tests;

/// <summary>
/// SPEC §6, §10: a finished run's result, once the server that ran it no longer holds it, is
/// rebuilt from the run log — and is the same result, to the last field: rejected rows, failed
/// and warned tests with their samples, errors and their locations, skipped steps, the times.
/// </summary>
public sealed class RunResultFromLogTests
{
    [Fact]
    public async Task A_finished_run_reads_the_same_from_the_run_log_as_it_did_live()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        WithRejectsFailuresAndWarnings(pipeline);
        string runId, live;
        await using (var service = await Service.StartAsync(pipeline))
        {
            using var client = service.Authorized();
            runId = (await Service.JsonAsync(await client.PostAsync("/api/etl/run", null))).GetProperty("run_id").GetString()!;
            await service.WaitForRunAsync(runId);
            live = await GetTextAsync(client, runId);
        }

        // Another server (or this one after a restart) knows the run only from the run log.
        await using var restarted = await Service.StartAsync(pipeline);
        using var again = restarted.Authorized();
        var logged = await GetTextAsync(again, runId);

        var result = JsonNode.Parse(live)!;
        Assert.Equal("partial", result["status"]!.GetValue<string>());
        Assert.Equal(2, result["rejected_rows"]!.GetValue<long>());
        Assert.Equal(1, result["tests"]!["failed"]!.GetValue<int>());
        Assert.Equal(2, result["tests"]!["warned"]!.GetValue<int>());
        Assert.Contains(result["steps"]!.AsArray(), s => s!["status"]!.GetValue<string>() == "skipped");
        Assert.Contains(result["steps"]!.AsArray(), s => s!["error_location"] is not null);
        AssertSameJson(live, logged);
    }

    [Fact]
    public async Task Engine_runs_json_gives_each_run_as_engine_run_json_gave_it()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        WithRejectsFailuresAndWarnings(pipeline);
        var first = await pipeline.Engine("run", "--json");
        var second = await pipeline.Engine("run", "--json", "--only", "mart");
        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.True(second.ExitCode == 1, second.ToString());

        var runs = await pipeline.Engine("runs", "--json");

        Assert.True(runs.ExitCode == 0, runs.ToString());
        var listed = JsonNode.Parse(runs.Out)!.AsArray();
        Assert.Equal(2, listed.Count);
        AssertSameJson(second.Out, listed[0]!.ToJsonString());
        AssertSameJson(first.Out, listed[1]!.ToJsonString());
        await using var empty = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal("[]", (await empty.Engine("runs", "--json")).Out.Trim());
    }

    /// <summary>
    /// The shop pipeline with a rejects step (2 rejected rows, 2 reasons), two warned tests of one
    /// step with samples (an unknown region, a region outside the accepted ones), a failed test (row_count) that skips the
    /// step's descendant, and a SQL error with its location.
    /// </summary>
    private static void WithRejectsFailuresAndWarnings(IsolatedPipeline pipeline)
    {
        File.WriteAllText(Path.Combine(pipeline.Dir, "staging", "rejects.sql"), """
            -- Grain: one row per unusable source row and reason.
            SELECT 'staging.customers' AS step, c.id::text AS source_key, 'region is NULL' AS reason
            FROM {{ source "shop" "customers" }} AS c
            WHERE c.region IS NULL
            UNION ALL
            SELECT 'staging.orders', o.id::text, 'status is pending'
            FROM {{ source "shop" "orders" }} AS o
            WHERE o.status = 'pending'
            """);
        pipeline.EditFile("pipeline.yaml", yaml => yaml
            .Replace("seeds: seeds\n", "seeds: seeds\nrejects: staging.rejects\n")
            .Replace("      - name: orders\n", "      - name: rejects\n        sql: staging/rejects.sql\n        materialize: replace\n"
                + "        key: [step, source_key, reason]\n      - name: orders\n")
            // Two warned tests on one step, declared out of alphabetical order.
            .Replace("          - accepted_values: { column: region, values: [SP, RJ, MG], severity: warn }\n",
                "          - expression: { expression: \"region IS NOT NULL\", name: region_known, severity: warn }\n"
                + "          - accepted_values: { column: region, values: [SP, MG], severity: warn }\n")
            .Replace("row_count: { min: 1 }", "row_count: { min: 100 }"));
        pipeline.EditFile("mart/customer_totals.sql", sql => sql.Replace("count(*) AS orders,", "count(*) / 0 AS orders,"));
    }

    private static async Task<string> GetTextAsync(HttpClient client, string runId)
    {
        var response = await client.GetAsync($"/api/etl/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The same JSON, every property, value and order; a failure lists the lines that differ, then both in full.</summary>
    private static void AssertSameJson(string expected, string actual)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var (e, a) = (JsonNode.Parse(expected)!.ToJsonString(options), JsonNode.Parse(actual)!.ToJsonString(options));
        if (e == a) return;
        var (el, al) = (e.Split('\n'), a.Split('\n'));
        var differing = Enumerable.Range(0, Math.Max(el.Length, al.Length))
            .Where(i => el.ElementAtOrDefault(i) != al.ElementAtOrDefault(i))
            .Select(i => $"line {i + 1}:\n  live:   {el.ElementAtOrDefault(i)?.Trim()}\n  logged: {al.ElementAtOrDefault(i)?.Trim()}");
        Assert.Fail("the result rebuilt from the run log differs from the live one\n" + string.Join("\n", differing)
            + "\n--- live\n" + e + "\n--- logged\n" + a);
    }
}
