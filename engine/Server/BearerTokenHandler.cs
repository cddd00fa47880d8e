using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lacrei.Engine.Server;

/// <summary>
/// Machine authentication (SPEC §12): <c>Authorization: Bearer TOKEN</c>, where the SHA-256 of
/// TOKEN must equal a configured hash. The principal is the token's configured name, so the log
/// says which scheduler asked for a run; the token itself is never logged.
/// </summary>
internal sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ServiceConfig config) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0 || TokenHash.Match(token, config.TokenHashes) is not { } name)
            return Task.FromResult(AuthenticateResult.Fail("invalid token"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "token:" + name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"lacrei-pipeline\"";
        return Task.CompletedTask;
    }
}
