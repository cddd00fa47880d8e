using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Lacrei.Engine.Execution;
using Npgsql;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Server;

/// <summary>
/// The HTTP API of SPEC §12. Triggers are POSTs and answer 202 with the run's address; every
/// GET only reads (the run log, the live progress, the database's pulse).
/// </summary>
internal static class ApiEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // As RunJson writes: served as application/json with nosniff, so no HTML escaping is needed.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>For results patched as JSON nodes, so they read like RunJson's.</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/etl").RequireAuthorization(PortalAuth.ApiPolicy);
        api.MapPost("/run", (HttpContext context, RunManager runs) => TriggerAsync(context, runs, null));
        api.MapPost("/run/{selection}", (HttpContext context, RunManager runs, string selection) => TriggerAsync(context, runs, selection));
        api.MapGet("/runs", ListAsync);
        api.MapGet("/runs/{id}", GetAsync);
        app.MapGet("/health", HealthAsync).AllowAnonymous();
    }

    private static async Task<IResult> TriggerAsync(HttpContext context, RunManager runs, string? selection)
    {
        if (!await PortalAuth.CheckCsrfAsync(context))
            return Responses.Error(StatusCodes.Status400BadRequest, "missing or invalid anti-forgery token: reload the page and try again");
        var outcome = await runs.StartAsync(selection, context.User.Identity?.Name ?? "unknown", context.RequestAborted);
        // The portal's buttons are forms: without JavaScript they post here and come back to the page.
        var fromForm = context.Request.HasFormContentType && !context.User.ByToken();
        return outcome switch
        {
            StartOutcome.Started when fromForm => Responses.SeeOther("/"),
            StartOutcome.Started started => Responses.Json(new JsonObject { ["run_id"] = started.RunId, ["status"] = RunStatus.Running.Text() },
                StatusCodes.Status202Accepted).WithLocation($"/api/etl/runs/{Uri.EscapeDataString(started.RunId)}", context),
            StartOutcome.Busy busy => Responses.Json(new JsonObject { ["error"] = "a run is already in progress", ["run_id"] = busy.RunId, ["detail"] = busy.Message },
                StatusCodes.Status409Conflict),
            StartOutcome.Refused refused => Responses.Error(refused.StatusCode, refused.Message),
            _ => throw new InvalidOperationException(outcome.ToString()),
        };
    }

    private static async Task<IResult> ListAsync(RunHistory history, RunManager runs, int? limit, CancellationToken ct)
    {
        var count = Math.Clamp(limit ?? 20, 1, 200);
        IReadOnlyList<RunRow> logged;
        try { logged = await history.RecentAsync(count, ct); }
        catch (Exception e) when (IsDatabaseDown(e)) { return Responses.Error(StatusCodes.Status503ServiceUnavailable, "the database is unreachable"); }
        // A run of this server that has not reached the run log yet (or never did) is listed from memory.
        var inLog = logged.Select(r => r.RunId).ToHashSet();
        var rows = logged.Concat(runs.Recent.Where(r => !inLog.Contains(r.RunId)).Select(r => r.Row()))
            .OrderByDescending(r => r.StartedAt).Take(count);
        return Results.Json(new RunList([.. rows]), ApiJson.Context.RunList);
    }

    private static async Task<IResult> GetAsync(string id, RunManager runs, RunHistory history, CancellationToken ct)
    {
        if (runs.Find(id) is { } live) return JsonText(live.ToJson());
        string? json;
        try { json = await history.ResultJsonAsync(id, ct); }
        catch (Exception e) when (IsDatabaseDown(e)) { return Responses.Error(StatusCodes.Status503ServiceUnavailable, "the database is unreachable"); }
        return json is null ? Responses.Error(StatusCodes.Status404NotFound, $"no run '{id}' in the run log") : JsonText(json);
    }

    /// <summary>Says whether the database answers a query; reveals nothing else, since it needs no login.</summary>
    private static async Task<IResult> HealthAsync(RunHistory history, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await history.PingAsync(timeout.Token);
            return Responses.Json(new JsonObject { ["status"] = "ok", ["database"] = "ok" });
        }
        catch (Exception e) when (IsDatabaseDown(e) || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return Responses.Json(new JsonObject { ["status"] = "unavailable", ["database"] = "unreachable" }, StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static bool IsDatabaseDown(Exception e) => e is NpgsqlException or SocketException or TimeoutException;

    private static IResult JsonText(string json) => Results.Text(json, "application/json; charset=utf-8");

    private static IResult WithLocation(this IResult result, string location, HttpContext context)
    {
        context.Response.Headers.Location = location;
        return result;
    }
}
