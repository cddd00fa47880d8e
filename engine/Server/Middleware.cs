using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace Lacrei.Engine.Server;

/// <summary>The service's two cross-cutting concerns: security headers, and one log line per request.</summary>
internal static class Middleware
{
    /// <summary>
    /// Same-origin everything and no inline code: a script injected into a page cannot run, and
    /// no other site can frame the portal to trick a click on "Atualizar dados".
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // Run results and pages hold data about the runs: never kept by a cache or the browser.
            if (!context.Request.Path.StartsWithSegments("/assets")) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>
    /// Method, path, status and time; never headers, query strings or bodies (tokens, passwords,
    /// cookies). The portal's polling GETs are debug-level so they do not drown the run log lines.
    /// An exception becomes a plain 500: no stack trace reaches the client.
    /// </summary>
    public static void UseRequestLogging(this IApplicationBuilder app, Serilog.ILogger log) => app.Use(async (context, next) =>
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            log.Error(e, "HTTP {Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await Responses.Error(StatusCodes.Status500InternalServerError, "internal error (see the service's log)").ExecuteAsync(context);
        }
        finally
        {
            var quiet = HttpMethods.IsGet(context.Request.Method) && context.Response.StatusCode < 400;
            log.Write(quiet ? LogEventLevel.Debug : LogEventLevel.Information, "HTTP {Method} {Path} {Status} in {Elapsed:0} ms",
                context.Request.Method, context.Request.Path.Value, context.Response.StatusCode, clock.Elapsed.TotalMilliseconds);
        }
    });
}
