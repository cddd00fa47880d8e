using System.Net;

namespace Lacrei.Engine.Tests;

/// <summary>
/// SPEC §9.6: a step that fails on a row with sensitive values serves none of them: not in the
/// API's live answer, the run list, the answer rebuilt from the run log after a restart (what the
/// portal's progress and history read), nor the service's own log.
/// </summary>
public sealed class NoRowValuesServedTests
{
    private static readonly string[] RowValues = ["98712345", "Homem trans", "Bissexual"];

    [Fact]
    public async Task A_not_null_violation_on_a_row_with_sensitive_values_is_served_without_them()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        // The row comes from a table, not from the step's SQL: only the server could quote it.
        await pipeline.ExecuteAsync("""
            CREATE SCHEMA IF NOT EXISTS {staging};
            CREATE TABLE {staging}.privacy_source (id int, gender_identity text, sexual_orientation text, pronoun text);
            INSERT INTO {staging}.privacy_source VALUES (98712345, 'Homem trans', 'Bissexual', NULL);
            CREATE TABLE {staging}.privacy_target (id int, gender_identity text, sexual_orientation text, pronoun text NOT NULL);
            """);
        pipeline.AddScriptStep("staging", "privacy_copy",
            "INSERT INTO {{ schemas.staging }}.privacy_target SELECT id, gender_identity, sexual_orientation, pronoun FROM {{ schemas.staging }}.privacy_source");

        string runId, live, list, serviceLog;
        await using (var service = await Service.StartAsync(pipeline))
        {
            using var client = service.Authorized();
            runId = (await Service.JsonAsync(await client.PostAsync("/api/etl/run", null))).GetProperty("run_id").GetString()!;
            await service.WaitForRunAsync(runId);
            live = await client.GetStringAsync($"/api/etl/runs/{runId}");
            list = await client.GetStringAsync("/api/etl/runs");
            serviceLog = service.Log;
        }
        await using var restarted = await Service.StartAsync(pipeline);
        using var again = restarted.Authorized();
        var response = await again.GetAsync($"/api/etl/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logged = await response.Content.ReadAsStringAsync();

        Assert.Contains("null value in column \\\"pronoun\\\"", live);
        Assert.Contains("Failing row contains (…)", live);
        foreach (var (where, text) in new[] { ("live answer", live), ("run list", list), ("answer from the run log", logged), ("service log", serviceLog) })
            foreach (var value in RowValues)
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"{where} shows {value}:\n{text}");
    }
}
