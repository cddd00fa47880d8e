namespace Lacrei.Engine.Tests;

/// <summary>A libpq URL parameter reaches the server: options, timeouts and certificates are honoured, never dropped.</summary>
public sealed class ConnectionOptionsTests
{
    [Fact]
    public async Task Url_options_reach_every_step_session()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        pipeline.AddScriptStep("mart", "settings_seen",
            "CREATE TABLE IF NOT EXISTS {{ this }} (timeout text);\nDELETE FROM {{ this }};\nINSERT INTO {{ this }} SELECT current_setting('statement_timeout');\n");
        var url = Environment.GetEnvironmentVariable("DATABASE_URL")!;

        var run = await pipeline.Engine("run", "--connection", url + (url.Contains('?') ? "&" : "?") + "options=-c%20statement_timeout%3D4321");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("4321ms", await pipeline.ScalarAsync<string>("SELECT timeout FROM {mart}.settings_seen"));
    }
}
