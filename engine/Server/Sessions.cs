using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Lacrei.Engine.Server;

/// <summary>
/// Portal sessions, checked on the server at every request (issue 20). A session cookie carries
/// an id and a stamp of its user's password hash: logging out revokes the id, so a copy of the
/// cookie stops working too, and a changed password hash ends every session of that user. With
/// a key folder (sessions then outlive a restart) the revoked ids are kept in it as well.
/// </summary>
internal sealed class Sessions
{
    public const string IdClaim = "lacrei:session";
    public const string StampClaim = "lacrei:stamp";

    /// <summary>Beside the data protection keys, whose repository reads only its *.xml files.</summary>
    public const string RevokedFile = "revoked-sessions.txt";

    private readonly ServiceConfig _config;
    private readonly TimeProvider _clock;
    private readonly Serilog.ILogger _log;
    private readonly string? _file;
    private readonly Lock _fileGate = new();

    /// <summary>Revoked ids, each until no cookie of it can still be valid (its sliding expiry from the revocation).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);

    public Sessions(ServiceConfig config, TimeProvider clock, Serilog.ILogger log)
    {
        (_config, _clock, _log) = (config, clock, log);
        if (config.DataProtectionKeys is not { } keys) return;
        _file = Path.Combine(keys, RevokedFile);
        Load();
    }

    /// <summary>A new session of <paramref name="user"/> (a configured name).</summary>
    public ClaimsPrincipal Open(string user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, user),
        new Claim(IdClaim, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
        new Claim(StampClaim, Stamp(_config.Users[user])),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>
    /// Whether a cookie's session still stands: its user is configured with the same password
    /// hash as when it signed in, and it was not logged out.
    /// </summary>
    public bool IsValid(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.Name is not { } name || !_config.Users.TryGetValue(name, out var hash)) return false;
        if (principal.FindFirst(StampClaim)?.Value != Stamp(hash) || principal.FindFirst(IdClaim)?.Value is not { } id) return false;
        return !(_revoked.TryGetValue(id, out var until) && until > _clock.GetUtcNow());
    }

    /// <summary>Ends a session for every copy of its cookie.</summary>
    public void Revoke(ClaimsPrincipal principal)
    {
        if (principal.FindFirst(IdClaim)?.Value is not { } id) return;
        var until = _clock.GetUtcNow() + _config.Session;
        _revoked[id] = until;
        foreach (var (old, expiry) in _revoked)
            if (expiry <= _clock.GetUtcNow()) _revoked.TryRemove(old, out _);
        if (_file is null) return;
        try
        {
            lock (_fileGate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
                File.AppendAllText(_file, $"{id} {until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}\n");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still revoked in memory; only a restart before it expires would bring it back.
            _log.Warning("Could not record a logout in {File}: {Reason}", _file, e.Message);
        }
    }

    /// <summary>A cookie holds this, not the hash: the same hash gives the same stamp, a new one another.</summary>
    private static string Stamp(string passwordHash) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)))[..16];

    /// <summary>Reads the ids still revoked and writes the file back without the expired ones.</summary>
    private void Load()
    {
        if (_file is null || !File.Exists(_file)) return;
        try { Compact(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Could not read the logged-out sessions in {File}: {Reason}", _file, e.Message);
        }
    }

    private void Compact()
    {
        if (_file is null) return;
        var now = _clock.GetUtcNow();
        foreach (var line in File.ReadAllLines(_file))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && DateTimeOffset.FromUnixTimeSeconds(seconds) is var until && until > now)
                _revoked[parts[0]] = until;
        }
        File.WriteAllLines(_file, _revoked.Select(r => $"{r.Key} {r.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}"));
    }
}
