using System.Net;

namespace Lacrei.Engine.Tests;

/// <summary>
/// Issue 20: a session ends on the server, not only in the browser. Logging out revokes it, so a
/// copy of the cookie taken before is refused; a user whose password hash changed loses every
/// open session; both hold across a restart that keeps the cookie keys.
/// </summary>
public sealed class SessionRevocationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_cookie_copied_before_logout_gets_401_on_the_api_and_the_login_page_for_the_dashboard()
    {
        var service = fixture.Service;
        using var portal = new PortalClient(service);
        Assert.Equal(HttpStatusCode.SeeOther, (await portal.LoginAsync(Credentials.OtherUser, Credentials.OtherPassword)).StatusCode);
        using var copy = WithCookie(service, SessionCookie(portal, service));
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/etl/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/")).StatusCode);

        var logout = await portal.Http.PostAsync("/logout", PortalClient.Form(await portal.TokenFromAsync("/")));
        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/etl/runs")).StatusCode);
        var dashboard = await copy.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/login", dashboard.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task After_a_restart_a_changed_password_ends_its_users_sessions_and_a_logout_still_holds()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var keys = Directory.CreateTempSubdirectory("lacrei-keys-").FullName;
        try
        {
            var env = new Dictionary<string, string?> { ["LACREI_DATA_PROTECTION_KEYS"] = keys };
            string maria, joaoLoggedOut, joaoOpen;
            await using (var first = await Service.StartAsync(pipeline, env))
            {
                maria = await LoginAsync(first, Credentials.User, Credentials.Password);
                joaoOpen = await LoginAsync(first, Credentials.OtherUser, Credentials.OtherPassword);
                using var portal = new PortalClient(first);
                await portal.LoginAsync(Credentials.OtherUser, Credentials.OtherPassword);
                joaoLoggedOut = SessionCookie(portal, first);
                Assert.Equal(HttpStatusCode.SeeOther, (await portal.Http.PostAsync("/logout", PortalClient.Form(await portal.TokenFromAsync("/")))).StatusCode);
            }

            // Maria's password is changed (a new hash); João's is not.
            const string newPassword = "a nova senha longa o bastante";
            env["LACREI_PORTAL_USERS"] = $"{Credentials.User}:{Lacrei.Engine.Server.PasswordHash.Create(newPassword, Lacrei.Engine.Server.PasswordHash.MinimumIterations)}," +
                                         $"{Credentials.OtherUser}:{Credentials.OtherPasswordHashText}";
            await using var second = await Service.StartAsync(pipeline, env);

            using (var client = WithCookie(second, joaoOpen))
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/etl/runs")).StatusCode);
            using (var client = WithCookie(second, maria))
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/etl/runs")).StatusCode);
            using (var client = WithCookie(second, joaoLoggedOut))
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/etl/runs")).StatusCode);
            Assert.NotEmpty(await LoginAsync(second, Credentials.User, newPassword));
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    private static async Task<string> LoginAsync(Service service, string user, string password)
    {
        using var portal = new PortalClient(service);
        Assert.Equal(HttpStatusCode.SeeOther, (await portal.LoginAsync(user, password)).StatusCode);
        return SessionCookie(portal, service);
    }

    private static string SessionCookie(PortalClient portal, Service service) =>
        portal.Cookies.GetCookies(service.BaseAddress)["lacrei_session"]?.Value ?? throw new InvalidOperationException("no session cookie");

    /// <summary>A client that presents a copied session cookie and nothing else.</summary>
    private static HttpClient WithCookie(Service service, string cookie)
    {
        var client = service.Client();
        client.DefaultRequestHeaders.Add("Cookie", $"lacrei_session={cookie}");
        return client;
    }
}
