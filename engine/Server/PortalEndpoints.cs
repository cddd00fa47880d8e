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
        app.MapPost("/logout", LogoutAsync).RequireAuthorization(PortalAuth.PortalPolicy);
        app.MapGet("/", Dashboard).RequireAuthorization(PortalAuth.PortalPolicy);
        app.MapGet("/assets/{name}", (HttpContext context, PortalAssets assets, string name) => assets.Serve(context, name)).AllowAnonymous();
    }

    private static IResult LoginForm(HttpContext context, IAntiforgery antiforgery)
    {
        if (context.User.Identity?.IsAuthenticated == true) return Results.Redirect("/");
        return Html(PortalPages.Login(Token(context, antiforgery), user: "", error: null), StatusCodes.Status200OK);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IAntiforgery antiforgery, LoginThrottle throttle, PasswordCheck passwords,
        Sessions sessions, ServiceSetup setup)
    {
        if (!await PortalAuth.CheckCsrfAsync(context))
            return Html(PortalPages.Login(Token(context, antiforgery), "", "A página expirou. Tente entrar de novo."), StatusCodes.Status400BadRequest);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = form["usuario"].ToString().Trim();
        var password = form["senha"].ToString();
        var address = PortalAuth.Address(context);

        // Issue 20: the address's budget is spent before anything else, so a flood costs no hashing.
        if (!throttle.TrySpend(address, out var wait, out var firstRefusal))
        {
            if (firstRefusal) setup.Log.Warning("Logins from {Address} over their budget: refused without checking until it refills", address);
            return TooMany(context, antiforgery, user, wait, "Muitas tentativas deste endereço.");
        }
        // What was typed is logged only as a configured name or a tag (issue 20).
        var logName = passwords.LogName(user);
        if (throttle.IsLockedOut(user, address, out var remaining))
        {
            setup.Log.Warning("Login refused for {User} from {Address}: locked out after repeated failures", logName, address);
            return TooMany(context, antiforgery, user, remaining, "Muitas tentativas sem sucesso.");
        }

        switch (await passwords.CheckAsync(user, password, context.RequestAborted))
        {
            case LoginVerdict.Busy:
                setup.Log.Warning("Login for {User} from {Address} refused: too many logins being checked at once", logName, address);
                context.Response.Headers.RetryAfter = "5";
                return Html(PortalPages.Login(Token(context, antiforgery), user, "O serviço está ocupado. Tente novamente em alguns segundos."),
                    StatusCodes.Status503ServiceUnavailable);
            case LoginVerdict.Invalid:
                throttle.Failed(user, address);
                setup.Log.Warning("Failed login for {User} from {Address}", logName, address);
                return Html(PortalPages.Login(Token(context, antiforgery), user, "Usuário ou senha incorretos."), StatusCodes.Status401Unauthorized);
        }
        throttle.Succeeded(user, address);
        var name = passwords.Known(user)!;
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, sessions.Open(name));
        setup.Log.Information("{User} signed in to the portal from {Address}", name, address);
        return Responses.SeeOther("/");
    }

    private static IResult TooMany(HttpContext context, IAntiforgery antiforgery, string user, TimeSpan wait, string why)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Html(PortalPages.Login(Token(context, antiforgery), user,
            $"{why} Tente novamente em {minutes} {(minutes == 1 ? "minuto" : "minutos")}."), StatusCodes.Status429TooManyRequests);
    }

    /// <summary>Revokes the session on the server (issue 20), so a copy of its cookie no longer opens anything.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext context, Sessions sessions, ServiceSetup setup)
    {
        if (!await PortalAuth.CheckCsrfAsync(context)) return Responses.Error(StatusCodes.Status400BadRequest, "missing or invalid anti-forgery token");
        sessions.Revoke(context.User);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        setup.Log.Information("{User} signed out of the portal", context.User.Identity?.Name ?? "");
        return Responses.SeeOther("/login");
    }

    private static IResult Dashboard(HttpContext context, IAntiforgery antiforgery, ServiceSetup setup) =>
        Html(PortalPages.Dashboard(context.User.Identity?.Name ?? "", setup.Project.Config.Layers.Select(l => l.Name).ToList(),
            setup.Project.Config.Name, Token(context, antiforgery)), StatusCodes.Status200OK);

    private static string Token(HttpContext context, IAntiforgery antiforgery) => antiforgery.GetAndStoreTokens(context).RequestToken!;

    private static IResult Html(string html, int status) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);
}
