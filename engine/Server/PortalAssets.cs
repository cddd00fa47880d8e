using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Lacrei.Engine.Server;

/// <summary>
/// The portal's CSS, JavaScript and icon, embedded in the engine (Server/assets) and served by
/// it: one binary to deploy, and no CDN that could change what runs in the users' browsers.
/// </summary>
internal sealed class PortalAssets
{
    private const string Prefix = "server/";

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    private readonly FrozenDictionary<string, Asset> _assets;

    public PortalAssets()
    {
        var assembly = typeof(PortalAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(name => name[Prefix.Length..], name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var content = buffer.ToArray();
                return new Asset(content, ContentType(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
            });
    }

    public IReadOnlyCollection<string> Names => _assets.Keys;

    public IResult Serve(HttpContext context, string name)
    {
        if (!_assets.TryGetValue(name, out var asset)) return Results.NotFound();
        // Revalidated on each load (cheap: a 304), so a new engine's assets are picked up at once.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
