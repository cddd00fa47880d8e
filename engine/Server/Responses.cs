using Lacrei.Engine.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Lacrei.Engine.Server;

/// <summary>The few response shapes the API and the portal share.</summary>
internal static class Responses
{
    /// <summary>Every error body is <c>{"error": "…"}</c>, with the message a user of the CLI would read.</summary>
    public static IResult Error(int status, string message) => Json(new JsonObject { ["error"] = message }, status);

    /// <summary>A JSON body as <c>Results.Json</c> writes it, built as nodes (no serialization by reflection: the engine also ships as a native executable).</summary>
    public static IResult Json(JsonObject body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(ApiEndpoints.Json), "application/json; charset=utf-8", statusCode: status);

    /// <summary>
    /// A pipeline problem as text: the CLI's caret snippet where there is a place in a file,
    /// otherwise the message and its hint (no "error:" prefix: the JSON key already says so).
    /// </summary>
    public static string Describe(PipelineException exception) => string.Join(Environment.NewLine, exception.Diagnostics.Select(d =>
        d.Span is not null ? ErrorFormatter.Format(d) : d.Hint is null ? d.Message : $"{d.Message}{Environment.NewLine}  hint: {d.Hint}"));

    /// <summary>303: after a form POST the browser GETs the new page (a 302 would be ambiguous).</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
