using System.Net;
using System.Text.RegularExpressions;

namespace Lacrei.Engine.Tests;

/// <summary>A browser-like client of the portal: keeps cookies, reads the anti-forgery token from each page.</summary>
public sealed partial class PortalClient : IDisposable
{
    private readonly HttpClient _client;

    public PortalClient(Service service)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies }) { BaseAddress = service.BaseAddress };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _client;

    /// <summary>Opens the login page and posts the form, as a person would.</summary>
    public async Task<HttpResponseMessage> LoginAsync(string user, string password)
    {
        var token = await TokenFromAsync("/login");
        return await _client.PostAsync("/login", Form(token, ("usuario", user), ("senha", password)));
    }

    /// <summary>The anti-forgery token of a page's forms.</summary>
    public async Task<string> TokenFromAsync(string page)
    {
        var html = await _client.GetStringAsync(page);
        var match = TokenField().Match(html);
        Assert.True(match.Success, $"no csrf_token field on {page}:\n{html}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static FormUrlEncodedContent Form(string? token, params (string Name, string Value)[] fields) =>
        new([.. token is null ? [] : new[] { KeyValuePair.Create("csrf_token", token) }, .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]);

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"csrf_token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
