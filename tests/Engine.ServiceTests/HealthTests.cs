using System.Net;
using System.Net.Sockets;

namespace Lacrei.Engine.Tests;

/// <summary>SPEC §12: /health needs no login and says whether the database answers a query.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_200_when_the_database_answers()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        using var client = service.Client();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok","database":"ok"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_is_503_when_the_database_is_down_and_a_trigger_says_why()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var closed = ClosedPort();
        await using var service = await Service.StartAsync(pipeline, "--connection", $"postgres://postgres:not-logged@127.0.0.1:{closed}/postgres");
        using var client = service.Client();

        var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("""{"status":"unavailable","database":"unreachable"}""", await health.Content.ReadAsStringAsync());
        using var machine = service.Authorized();
        var trigger = await machine.PostAsync("/api/etl/run", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, trigger.StatusCode);
        Assert.StartsWith($"cannot connect to postgres@127.0.0.1:{closed}/postgres:", (await Service.JsonAsync(trigger)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await machine.GetAsync("/api/etl/runs")).StatusCode);
        Assert.DoesNotContain("not-logged", service.Log);
    }

    /// <summary>A loopback port that nothing listens on: bound by the OS, then released.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
