using System.Collections.Concurrent;

namespace Lacrei.Engine.Server;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failed logins for one user name from
/// one address within <see cref="Window"/>, that pair is locked out for the window, whatever the
/// password. A success clears the pair's count.
/// </summary>
internal sealed class LoginThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Past this many tracked pairs, expired ones are dropped, so a flood of names cannot grow memory for ever.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    private sealed record Entry(int Failures, DateTimeOffset First, DateTimeOffset? LockedUntil);

    public bool IsLockedOut(string user, string address, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (!_entries.TryGetValue(Key(user, address), out var entry) || entry.LockedUntil is not { } until) return false;
        remaining = until - clock.GetUtcNow();
        return remaining > TimeSpan.Zero;
    }

    public void Failed(string user, string address)
    {
        var now = clock.GetUtcNow();
        _entries.AddOrUpdate(Key(user, address),
            _ => new Entry(1, now, null),
            (_, entry) =>
            {
                // A count older than the window, or a lockout that has run out, starts over.
                if (now - entry.First > Window || entry.LockedUntil <= now) entry = new Entry(0, now, null);
                var failures = entry.Failures + 1;
                return entry with { Failures = failures, LockedUntil = failures >= MaxFailures ? now + Window : null };
            });
        if (_entries.Count > PruneAbove) Prune(now);
    }

    public void Succeeded(string user, string address) => _entries.TryRemove(Key(user, address), out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
            if (now - entry.First > Window && (entry.LockedUntil is null || entry.LockedUntil <= now)) _entries.TryRemove(key, out _);
    }

    private static string Key(string user, string address) => user.Trim().ToLowerInvariant() + "\n" + address;
}
