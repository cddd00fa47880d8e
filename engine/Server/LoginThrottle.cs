using System.Collections.Concurrent;

namespace Lacrei.Engine.Server;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failed logins for one user name from
/// one address within <see cref="Window"/>, that pair is locked out for the window, whatever the
/// password. A success clears the pair's count. Each address also has a budget of attempts,
/// whatever the names (issue 20): <see cref="Burst"/> at once, then one every
/// <see cref="Refill"/>; it is spent before a password is checked, so a flood costs no hashing.
/// </summary>
internal sealed class LoginThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public const int Burst = 20;
    public static readonly TimeSpan Refill = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Budget> _budgets = new(StringComparer.Ordinal);

    /// <summary>An address's attempts left (fractional while they refill) as of <see cref="At"/>.</summary>
    private sealed class Budget(DateTimeOffset at)
    {
        public double Left = Burst;
        public DateTimeOffset At = at;
        public bool Refusing;
    }

    /// <summary>
    /// Spends one attempt of <paramref name="address"/>'s budget; when none is left, false and
    /// when the next one comes back. <paramref name="firstRefusal"/> is true for the first refusal
    /// since the budget ran out (the one worth a log line).
    /// </summary>
    public bool TrySpend(string address, out TimeSpan retryAfter, out bool firstRefusal)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (!_budgets.TryGetValue(address, out var budget))
            {
                // An address whose budget has refilled is as good as unknown: forget those first.
                if (_budgets.Count >= PruneAbove)
                    foreach (var (old, b) in _budgets.ToList())
                        if (b.Left + (now - b.At) / Refill >= Burst) _budgets.Remove(old);
                _budgets[address] = budget = new Budget(now);
            }
            budget.Left = Math.Min(Burst, budget.Left + (now - budget.At) / Refill);
            budget.At = now;
            if (budget.Left >= 1)
            {
                budget.Left -= 1;
                budget.Refusing = false;
                (retryAfter, firstRefusal) = (TimeSpan.Zero, false);
                return true;
            }
            (retryAfter, firstRefusal) = ((1 - budget.Left) * Refill, !budget.Refusing);
            budget.Refusing = true;
            return false;
        }
    }

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
