using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lacrei.Engine.Server;

/// <summary>
/// The portal (SPEC §12), in Brazilian Portuguese for its users: the login form, the dashboard
/// and its static files. The dashboard's buttons and live progress use the API with the session.
/// </summary>
internal static class PortalEndpoints
{
    public static void MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", LoginForm).AllowAnonymous();
        app.MapPost("/login", LoginAsync).AllowAnonymous();
        app.MapPost("/logout", (Delegate)LogoutAsync).RequireAuthorization(PortalAuth.PortalPolicy);
        app.MapGet("/", Dashboard).RequireAuthorization(PortalAuth.PortalPolicy);
        app.MapGet("/assets/{name}", (HttpContext context, PortalAssets assets, string name) => assets.Serve(context, name)).AllowAnonymous();
    }

    private static IResult LoginForm(HttpContext context, IAntiforgery antiforgery)
    {
        if (context.User.Identity?.IsAuthenticated == true) return Results.Redirect("/");
        return Html(PortalPages.Login(Token(context, antiforgery), user: "", error: null), StatusCodes.Status200OK);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IAntiforgery antiforgery, ServiceConfig config, LoginThrottle throttle, ServiceSetup setup)
    {
        if (!await PortalAuth.CheckCsrfAsync(context))
            return Html(PortalPages.Login(Token(context, antiforgery), "", "A página expirou. Tente entrar de novo."), StatusCodes.Status400BadRequest);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = form["usuario"].ToString().Trim();
        var password = form["senha"].ToString();
        var address = PortalAuth.Address(context);

        if (throttle.IsLockedOut(user, address, out var remaining))
        {
            setup.Log.Warning("Login refused for {User} from {Address}: locked out after repeated failures", user, address);
            var minutes = Math.Max(1, (int)Math.Ceiling(remaining.TotalMinutes));
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(remaining.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Html(PortalPages.Login(Token(context, antiforgery), user,
                $"Muitas tentativas sem sucesso. Tente novamente em {minutes} {(minutes == 1 ? "minuto" : "minutos")}."), StatusCodes.Status429TooManyRequests);
        }

        if (!Verify(config, user, password))
        {
            throttle.Failed(user, address);
            setup.Log.Warning("Failed login for {User} from {Address}", user, address);
            return Html(PortalPages.Login(Token(context, antiforgery), user, "Usuário ou senha incorretos."), StatusCodes.Status401Unauthorized);
        }
        throttle.Succeeded(user, address);
        var name = config.Users.Keys.First(k => string.Equals(k, user, StringComparison.OrdinalIgnoreCase));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, PortalAuth.Principal(name));
        setup.Log.Information("{User} signed in to the portal from {Address}", name, address);
        return Responses.SeeOther("/");
    }

    /// <summary>An unknown user costs as much time as a wrong password, so timing does not tell which names exist.</summary>
    private static bool Verify(ServiceConfig config, string user, string password)
    {
        if (user.Length is 0 or > 200 || password.Length is 0 or > 1024 || !config.Users.TryGetValue(user, out var hash))
        {
            if (config.Users.Values.FirstOrDefault() is { } someone) PasswordHash.Verify(password, someone);
            else PasswordHash.VerifyNothing(password);
            return false;
        }
        return PasswordHash.Verify(password, hash);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        if (!await PortalAuth.CheckCsrfAsync(context)) return Responses.Error(StatusCodes.Status400BadRequest, "missing or invalid anti-forgery token");
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Responses.SeeOther("/login");
    }

    private static IResult Dashboard(HttpContext context, IAntiforgery antiforgery, ServiceSetup setup) =>
        Html(PortalPages.Dashboard(context.User.Identity?.Name ?? "", setup.Project.Config.Layers.Select(l => l.Name).ToList(),
            setup.Project.Config.Name, Token(context, antiforgery)), StatusCodes.Status200OK);

    private static string Token(HttpContext context, IAntiforgery antiforgery) => antiforgery.GetAndStoreTokens(context).RequestToken!;

    private static IResult Html(string html, int status) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);
}
