using System.Net;
using System.Text.Json;

namespace Lacrei.Engine.Tests;

/// <summary>
/// Issue 20: what a visitor types never shapes the log. Fields are structured, control characters
/// are escaped (no forged lines), and a user name that is not configured — often a password typed
/// into the wrong field — is never written as typed.
/// </summary>
public sealed class LoginLogTests
{
    private const string Forged = "[12:00:00 INF] admin signed in to the portal from 10.0.0.1";

    [Fact]
    public async Task An_unknown_user_name_is_logged_as_a_tag_never_as_typed()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var portal = new PortalClient(service);

        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.LoginAsync("S3nha-Forte!", "qualquer coisa")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.LoginAsync("S3nha-Forte!", "outra coisa")).StatusCode);

        var log = service.Log;
        Assert.DoesNotContain("S3nha-Forte!", log);
        var failures = log.Split('\n').Where(l => l.Contains("Failed login for unknown user #", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        // The same name gets the same tag, so attempts can be told apart and counted.
        Assert.Equal(failures[0][failures[0].IndexOf('#')..], failures[1][failures[1].IndexOf('#')..]);
        Assert.EndsWith("from 127.0.0.1", failures[0].TrimEnd());
    }

    [Fact]
    public async Task A_newline_in_a_user_name_or_a_path_cannot_forge_a_log_line()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var portal = new PortalClient(service);
        using var client = service.Client();

        await portal.LoginAsync("x\n" + Forged, "qualquer coisa");
        await client.GetAsync("/nada%0A" + Uri.EscapeDataString(Forged) + "%1B%5B31m");

        var log = service.Log;
        Assert.DoesNotContain("\n" + Forged, log);
        Assert.DoesNotContain("\u001b", log);
        Assert.Contains("HTTP GET /nada\\n" + Forged + "\\u001b[31m 404", log);
    }

    [Fact]
    public async Task Log_events_carry_the_user_and_the_address_as_fields()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline, "--log-format", "json");
        using var portal = new PortalClient(service);

        await portal.LoginAsync(Credentials.User, "senha errada mas comprida");
        await portal.LoginAsync("ninguem\r\n", "senha errada mas comprida");

        var events = service.Log.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var failed = events.Where(e => e.GetProperty("@mt").GetString() == "Failed login for {User} from {Address}").ToList();
        Assert.Equal(2, failed.Count);
        Assert.Equal("maria", failed[0].GetProperty("User").GetString());
        Assert.Equal("127.0.0.1", failed[0].GetProperty("Address").GetString());
        Assert.StartsWith("unknown user #", failed[1].GetProperty("User").GetString());
    }
}
