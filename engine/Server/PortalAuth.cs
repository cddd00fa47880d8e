using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lacrei.Engine.Server;

/// <summary>
/// The two ways in: the portal's cookie session (sliding expiry, anti-forgery on every POST)
/// and API bearer tokens. The API accepts both, so the portal's own fetches work; it answers
/// 401 and never redirects. Portal pages accept only the session and redirect to the login.
/// </summary>
internal static class PortalAuth
{
    public const string ApiPolicy = "api";
    public const string PortalPolicy = "portal";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string CsrfField = "csrf_token";

    public static void AddPortalAuth(this IServiceCollection services, ServiceConfig config)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "lacrei_session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = config.Session;
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
                // Checked at every request (issue 20): a session logged out (any copy of its cookie),
                // of a user removed from the configuration, or whose password hash changed, ends here.
                options.Events.OnValidatePrincipal = context =>
                {
                    if (!context.HttpContext.RequestServices.GetRequiredService<Sessions>().IsValid(context.Principal)) context.RejectPrincipal();
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, _ => { });

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy
                .AddAuthenticationSchemes(BearerTokenHandler.SchemeName, CookieAuthenticationDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(PortalPolicy, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser());

        services.AddAntiforgery(options =>
        {
            options.HeaderName = CsrfHeader;
            options.FormFieldName = CsrfField;
            options.Cookie.Name = "lacrei_csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The security headers say DENY for every response; antiforgery would add SAMEORIGIN.
            options.SuppressXFrameOptionsHeader = true;
        });
    }

    /// <summary>The API answers with a status; a page goes to the login form (without a return URL to misuse).</summary>
    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api")) context.Response.StatusCode = status;
        else context.Response.Redirect("/login");
        return Task.CompletedTask;
    }

    public static bool ByToken(this ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == BearerTokenHandler.SchemeName);

    /// <summary>
    /// A POST made with the session cookie must carry the anti-forgery token (header or form
    /// field); one made with a bearer token need not, since a browser never adds that on its own.
    /// </summary>
    public static async Task<bool> CheckCsrfAsync(HttpContext context)
    {
        if (context.User.ByToken()) return true;
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>The client's address, as the throttle counts it (behind a trusted proxy, the forwarded one).</summary>
    public static string Address(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
