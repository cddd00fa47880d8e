using System.Net;

namespace Lacrei.Engine.Tests;

/// <summary>SPEC §12: portal users log in with a PBKDF2-checked password; the session cookie works for the API, with anti-forgery on every POST.</summary>
public sealed class PortalSessionTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private Service Service => fixture.Service;

    [Fact]
    public async Task Right_password_opens_the_dashboard_with_a_strict_http_only_session()
    {
        using var portal = new PortalClient(Service);

        var login = await portal.LoginAsync(Credentials.User, Credentials.Password);

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("lacrei_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var dashboard = await portal.Http.GetStringAsync("/");
        Assert.Contains("<html lang=\"pt-BR\">", dashboard);
        Assert.Contains(">Atualizar dados</button>", dashboard);
        foreach (var layer in new[] { "staging", "model", "mart" })
            Assert.Contains($"action=\"/api/etl/run/{layer}\"", dashboard);
        Assert.Contains("Olá, maria", dashboard);
    }

    [Fact]
    public async Task Wrong_password_is_401_with_the_error_in_portuguese()
    {
        using var portal = new PortalClient(Service);

        var login = await portal.LoginAsync(Credentials.User, "senha errada mas comprida");

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var page = await login.Content.ReadAsStringAsync();
        Assert.Contains("""<p class="alert" role="alert" id="erro-login">Usuário ou senha incorretos.</p>""", page);
        Assert.DoesNotContain("lacrei_session", string.Join(";", login.Headers.TryGetValues("Set-Cookie", out var c) ? c : []));
    }

    [Fact]
    public async Task Login_form_without_its_anti_forgery_token_is_refused()
    {
        using var portal = new PortalClient(Service);
        await portal.TokenFromAsync("/login");

        var login = await portal.Http.PostAsync("/login", PortalClient.Form(null, ("usuario", Credentials.User), ("senha", Credentials.Password)));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Contains("A página expirou.", await login.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Session_reads_the_api_but_posts_only_with_the_anti_forgery_token()
    {
        using var portal = new PortalClient(Service);
        await portal.LoginAsync(Credentials.OtherUser, Credentials.OtherPassword);

        Assert.Equal(HttpStatusCode.OK, (await portal.Http.GetAsync("/api/etl/runs")).StatusCode);
        var forged = await portal.Http.PostAsync("/api/etl/run/+staging.customers", null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("missing or invalid anti-forgery token: reload the page and try again",
            (await Service.JsonAsync(forged)).GetProperty("error").GetString());

        var token = await portal.TokenFromAsync("/");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/etl/run/+staging.customers");
        request.Headers.Add("X-CSRF-Token", token);
        var accepted = await portal.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await Service.WaitForRunAsync((await Service.JsonAsync(accepted)).GetProperty("run_id").GetString()!);
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        using var portal = new PortalClient(Service);
        await portal.LoginAsync(Credentials.OtherUser, Credentials.OtherPassword);
        var token = await portal.TokenFromAsync("/");

        var logout = await portal.Http.PostAsync("/logout", PortalClient.Form(token));

        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        Assert.Equal("/login", logout.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.Http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.Http.GetAsync("/api/etl/runs")).StatusCode);
    }
}
