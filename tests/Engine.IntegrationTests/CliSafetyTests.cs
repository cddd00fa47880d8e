namespace Lacrei.Engine.Tests;

public sealed class CliSafetyTests
{
    [Fact]
    public async Task Identifier_injection_through_var_is_refused_before_any_SQL_runs()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var run = await pipeline.Engine("run", "--var", "schemas.mart=x\"; DROP TABLE t; --");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --var schemas.mart: 'x\"; DROP TABLE t; --' is not a valid SQL name", run.Error);
        Assert.Contains("hint: a SQL name is 1-63 letters, digits, '_' or '-'", run.Error);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%{pipeline.Suffix}'"));
    }

    [Fact]
    public async Task Wrong_password_is_a_clear_error_that_never_echoes_the_password()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N")[..6];
        var settings = Database.ConnectionSettings.Resolve(null);
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await pipeline.ExecuteAsync($"CREATE ROLE \"pw{pipeline.Suffix}\" LOGIN PASSWORD 'right'");
        try
        {
            var url = $"postgres://pw{pipeline.Suffix}:{secret}@{settings.Builder.Host}:{settings.Builder.Port}/{settings.Builder.Database}";
            var run = await EngineCli.RunAsync(["run", "--project", pipeline.YamlPath, "--connection", url]);

            Assert.Equal(2, run.ExitCode);
            Assert.DoesNotContain(secret, run.Out + run.Error);
            // A trust-auth test server lets any password in; a password-checking one refuses it.
            Assert.True(run.Error.Contains($"cannot connect to pw{pipeline.Suffix}@") || run.Error.Contains("permission denied"), run.ToString());
        }
        finally
        {
            await pipeline.ExecuteAsync($"DROP OWNED BY \"pw{pipeline.Suffix}\"; DROP ROLE \"pw{pipeline.Suffix}\"");
        }
    }

    [Fact]
    public async Task Unreachable_server_is_a_configuration_error_naming_the_server()
    {
        var run = await EngineCli.RunAsync(["run", "--project", Repo.Path("tests", "fixtures", "shop", "pipeline.yaml"),
            "--connection", "postgres://nobody:hunter2@127.0.0.1:1/db"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: cannot connect to nobody@127.0.0.1:1/db:", run.Error);
        Assert.DoesNotContain("hunter2", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task Runs_lists_recent_runs_with_status_and_rows()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("run", "--only", "staging")).ExitCode);

        var runs = await pipeline.Engine("runs");

        Assert.Equal(0, runs.ExitCode);
        Assert.Matches(@"\d{8}T\d{6}Z-\w+\s+success\s+cli\s+.*\s2\s+0\s+10\s+staging", runs.Out);
    }
}

public sealed class SelectionOnFreshDatabaseTests
{
    [Fact]
    public async Task Running_a_layer_whose_upstream_was_never_built_names_it_and_how_to_include_it()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var run = await pipeline.Engine("run", "--only", "mart");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: cannot run mart.daily_revenue: it reads model.order_facts, which is not in the selection and has never been built", run.Error);
        Assert.Contains("hint: include its ancestors, e.g. --only +mart.daily_revenue, or run the whole pipeline once", run.Error);
    }
}
