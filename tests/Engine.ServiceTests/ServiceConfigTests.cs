using System.Net;

namespace Lacrei.Engine.Tests;

/// <summary>Secrets come from the environment or a file outside the repository, as hashes only, and never reach the log.</summary>
public sealed class ServiceConfigTests
{
    private static Dictionary<string, string?> NoCredentials() => new()
    {
        ["LACREI_API_TOKENS"] = null,
        ["LACREI_PORTAL_USERS"] = null,
    };

    [Fact]
    public async Task Serve_refuses_to_start_when_nobody_could_use_it()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var outcome = await Service.FailToStartAsync(pipeline, NoCredentials());

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("""
            error: no API token and no portal user is configured, so nobody could use the service
              hint: set LACREI_API_TOKENS and/or LACREI_PORTAL_USERS, or pass --config (see docs/service.md)
            """, outcome.Error.Trim().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_token_or_password_in_clear_instead_of_its_hash_is_refused()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var env = new Dictionary<string, string?>
        {
            ["LACREI_API_TOKENS"] = $"airflow:{Credentials.Token}",
            ["LACREI_PORTAL_USERS"] = $"maria:{Credentials.Password}",
        };

        var outcome = await Service.FailToStartAsync(pipeline, env);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error: API token 'airflow': the value must be the token's SHA-256 in hex (64 characters), not the token", outcome.Error);
        Assert.Contains("error: portal user 'maria': the password is not a pbkdf2-sha256 hash", outcome.Error);
        Assert.Contains("hint: make one with: engine hash-password", outcome.Error);
        Assert.DoesNotContain(Credentials.Token, outcome.Error);
        Assert.DoesNotContain(Credentials.Password, outcome.Error);
    }

    [Fact]
    public async Task A_config_file_inside_the_project_folder_is_refused()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var inside = Path.Combine(pipeline.Dir, "service.json");
        await File.WriteAllTextAsync(inside, "{}");

        var outcome = await Service.FailToStartAsync(pipeline, NoCredentials(), "--config", inside);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"error: --config {inside}: the file holds secrets and is inside the project folder", outcome.Error);
        Assert.Contains("hint: keep it outside the repository, e.g. /etc/lacrei-pipeline/service.json", outcome.Error);
    }

    [Fact]
    public async Task A_config_file_key_typo_suggests_the_key()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var path = OutsideFile($$"""{ "user": { "maria": "{{Credentials.PasswordHashText}}" } }""");

        var outcome = await Service.FailToStartAsync(pipeline, NoCredentials(), "--config", path);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"error: {path}: user: unknown key\n  hint: did you mean 'users'?", outcome.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_config_file_that_names_a_token_twice_is_refused()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var path = OutsideFile($$"""{ "api_tokens": { "airflow": "{{Credentials.TokenHashText}}", "airflow": "{{new string('b', 64)}}" } }""");

        var outcome = await Service.FailToStartAsync(pipeline, NoCredentials(), "--config", path);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"error: {path}: api_tokens: the name 'airflow' is given twice\n  hint: give each token its own name; the log names a request's token by it",
            outcome.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Known_proxies_come_from_the_config_file_as_a_list()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var path = OutsideFile($$"""{ "api_tokens": { "airflow": "{{Credentials.TokenHashText}}" }, "trust_proxy": true, "known_proxies": ["127.0.0.1", "10.0.0.0/8", "nginx"] }""");

        var outcome = await Service.FailToStartAsync(pipeline, NoCredentials(), "--config", path);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal($"error: {path}: known_proxies: 'nginx' is not an IP address or network\n  hint: addresses and networks, comma-separated: 127.0.0.1,10.0.0.0/24",
            outcome.Error.Trim().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_config_file_supplies_tokens_users_and_settings()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var path = OutsideFile($$"""
            {
              "api_tokens": { "airflow": "{{Credentials.TokenHashText}}" },
              "users": { "maria": "{{Credentials.PasswordHashText}}" },
              "session_minutes": 20
            }
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var service = await Service.StartAsync(pipeline, NoCredentials(), "--config", path);

        using var machine = service.Authorized();
        Assert.Equal(HttpStatusCode.OK, (await machine.GetAsync("/api/etl/runs")).StatusCode);
        using var portal = new PortalClient(service);
        Assert.Equal(HttpStatusCode.SeeOther, (await portal.LoginAsync("maria", Credentials.Password)).StatusCode);
        Assert.Contains("1 API tokens, 1 portal users", service.Log);
        Assert.DoesNotContain("chmod 600", service.Log);
    }

    [Fact]
    public async Task Secrets_never_reach_the_log()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var service = await Service.StartAsync(pipeline, "-v");
        using (var machine = service.Authorized())
        using (var wrong = service.Client("wrong-" + Credentials.Token))
        using (var portal = new PortalClient(service))
        {
            var run = await machine.PostAsync("/api/etl/run", null);
            await service.WaitForRunAsync((await Service.JsonAsync(run)).GetProperty("run_id").GetString()!);
            await wrong.GetAsync("/api/etl/runs");
            await portal.LoginAsync(Credentials.User, "wrong " + Credentials.Password);
            await portal.LoginAsync(Credentials.User, Credentials.Password);
            await portal.Http.GetAsync("/");
        }
        await service.DisposeAsync();

        var log = service.Log;
        Assert.Contains("Run ", log);
        Assert.Contains("Failed login for maria from 127.0.0.1", log);
        Assert.Contains("maria signed in to the portal from 127.0.0.1", log);
        foreach (var secret in new[] { Credentials.Token, Credentials.TokenHashText, Credentials.Password, Credentials.PasswordHashText, "lacrei_session=", "Bearer " })
            Assert.DoesNotContain(secret, log);
    }

    private static string OutsideFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lacrei-service-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
