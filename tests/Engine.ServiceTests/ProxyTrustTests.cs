using System.Net;

namespace Lacrei.Engine.Tests;

/// <summary>
/// Issue 20: with LACREI_TRUST_PROXY=true, X-Forwarded-For is believed only from the proxies
/// named in LACREI_KNOWN_PROXIES; from anyone else it is ignored, so the login throttle counts
/// the real address and a client cannot pick a fresh one for every attempt.
/// </summary>
public sealed class ProxyTrustTests
{
    [Fact]
    public async Task A_forwarded_address_from_a_sender_that_is_not_a_known_proxy_is_ignored()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline, Trusting("192.0.2.10"));
        using var portal = new PortalClient(service);

        for (var i = 1; i <= 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginFromAsync(portal, $"10.0.0.{i}")).StatusCode);
        var sixth = await LoginFromAsync(portal, "10.0.0.6");

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Contains("Failed login for maria from 127.0.0.1", service.Log);
        Assert.DoesNotContain("from 10.0.0.", service.Log);
    }

    [Fact]
    public async Task A_forwarded_address_from_a_known_proxy_is_the_address_the_throttle_counts()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline, Trusting("127.0.0.1"));
        using var portal = new PortalClient(service);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginFromAsync(portal, "10.0.0.1")).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginFromAsync(portal, "10.0.0.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginFromAsync(portal, "10.0.0.2")).StatusCode);
        Assert.Contains("Failed login for maria from 10.0.0.1", service.Log);
    }

    private static Dictionary<string, string?> Trusting(string proxies) => new()
    {
        ["LACREI_TRUST_PROXY"] = "true",
        ["LACREI_KNOWN_PROXIES"] = proxies,
    };

    private static async Task<HttpResponseMessage> LoginFromAsync(PortalClient portal, string forwardedFor)
    {
        portal.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
        portal.Http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return await portal.LoginAsync(Credentials.User, "senha errada mas comprida");
    }
}
