using System.Net;

namespace Lacrei.Engine.Tests;

/// <summary>One shop pipeline and one server for a class whose tests do not change either.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public IsolatedPipeline Pipeline { get; } = new(Repo.ShopFixture);
    public Service Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await Service.StartAsync(Pipeline);

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Pipeline.DisposeAsync();
    }
}

/// <summary>SPEC §12: no route but /health and the login page answers without credentials; the API says 401, never redirects.</summary>
public sealed class ApiAuthenticationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private Service Service => fixture.Service;

    public static TheoryData<string, string> ApiRoutes => new()
    {
        { "POST", "/api/etl/run" },
        { "POST", "/api/etl/run/mart" },
        { "GET", "/api/etl/runs" },
        { "GET", "/api/etl/runs/20251201T000000Z-000000" },
    };

    [Theory, MemberData(nameof(ApiRoutes))]
    public async Task No_token_is_401_with_a_bearer_challenge_and_no_redirect(string method, string path)
    {
        using var client = Service.Client();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"lacrei-pipeline\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Null(response.Headers.Location);
    }

    [Theory, MemberData(nameof(ApiRoutes))]
    public async Task Wrong_token_is_401(string method, string path)
    {
        using var client = Service.Client(Credentials.Token + "x");
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory, MemberData(nameof(ApiRoutes))]
    public async Task Token_hash_itself_is_not_a_token(string method, string path)
    {
        using var client = Service.Client(Credentials.TokenHashText);
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Good_token_is_accepted_on_every_route()
    {
        using var client = Service.Authorized();

        var whole = await client.PostAsync("/api/etl/run", null);
        Assert.Equal(HttpStatusCode.Accepted, whole.StatusCode);
        var first = (await Service.JsonAsync(whole)).GetProperty("run_id").GetString()!;
        Assert.Equal("success", (await Service.WaitForRunAsync(first)).GetProperty("status").GetString());

        var layer = await client.PostAsync("/api/etl/run/mart", null);
        Assert.Equal(HttpStatusCode.Accepted, layer.StatusCode);
        var second = (await Service.JsonAsync(layer)).GetProperty("run_id").GetString()!;
        Assert.Equal("success", (await Service.WaitForRunAsync(second)).GetProperty("status").GetString());

        var list = await client.GetAsync("/api/etl/runs");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var ids = (await Service.JsonAsync(list)).GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()).ToList();
        Assert.Equal([second, first], ids.Take(2));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/etl/runs/{first}")).StatusCode);
        var unknown = await client.GetAsync("/api/etl/runs/20251201T000000Z-000000");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("no run '20251201T000000Z-000000' in the run log", (await Service.JsonAsync(unknown)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Health_and_the_login_page_answer_without_credentials()
    {
        using var client = Service.Client();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
    }

    [Fact]
    public async Task Portal_pages_send_a_visitor_without_a_session_to_the_login()
    {
        using var client = Service.Client();

        var dashboard = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Equal("/login", dashboard.Headers.Location?.OriginalString);

        // A bearer token is for machines: it does not open the portal.
        using var machine = Service.Authorized();
        Assert.Equal(HttpStatusCode.Redirect, (await machine.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/logout", null)).StatusCode);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/health")]
    [InlineData("/api/etl/runs")]
    [InlineData("/assets/portal.js")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = Service.Client();
        var response = await client.GetAsync(path);

        Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; " +
            "frame-ancestors 'none'; base-uri 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Static_assets_are_served_by_the_engine_itself()
    {
        using var client = Service.Client();

        var script = await client.GetAsync("/assets/portal.js");
        var style = await client.GetAsync("/assets/portal.css");

        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/nope.js")).StatusCode);
        var again = new HttpRequestMessage(HttpMethod.Get, "/assets/portal.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", script.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        string.Join(",", response.Headers.TryGetValues(name, out var values) ? values : []);
}
