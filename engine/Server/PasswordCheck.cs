using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Lacrei.Engine.Server;

internal enum LoginVerdict { Valid, Invalid, Busy }

/// <summary>
/// Checks portal passwords without letting a flood of logins take the CPU (issue 20). PBKDF2 is
/// slow on purpose (~0.1–0.5 s of a core), so at most <see cref="MaxConcurrent"/> hashes run at
/// once; a login that cannot get a turn within <see cref="MaxWait"/> is answered "busy". A user
/// name that is not configured is answered after as long as a real check takes, but without
/// hashing: the time does not tell which names exist, and guessing names costs no CPU.
/// </summary>
internal sealed class PasswordCheck(ServiceConfig config)
{
    public static readonly int MaxConcurrent = Math.Clamp(Environment.ProcessorCount / 2, 1, 4);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _turns = new(MaxConcurrent, MaxConcurrent);

    /// <summary>Keys the tags that name unknown users in the log; new for each process.</summary>
    private readonly byte[] _tagKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>How long a real check takes here, in stopwatch ticks (a moving average; 0 until the first).</summary>
    private long _typical;
    private int _hashes, _running, _peak;

    /// <summary>Hashes computed so far.</summary>
    public int Hashes => Volatile.Read(ref _hashes);

    /// <summary>How long a real check takes here, as an unknown name is made to wait.</summary>
    public TimeSpan Typical => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _typical));

    /// <summary>The most hashes that ran at the same time so far.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>The configured name the typed one matches (names ignore case), or null.</summary>
    public string? Known(string typed) =>
        typed.Length is > 0 and <= 200 ? config.Users.Keys.FirstOrDefault(k => string.Equals(k, typed, StringComparison.OrdinalIgnoreCase)) : null;

    /// <summary>
    /// How the log names who tried to log in: a configured name as configured; anything else as
    /// a tag, since it is often a password typed into the wrong field (issue 20).
    /// </summary>
    public string LogName(string typed) => Known(typed) ?? "unknown user #" + Convert.ToHexStringLower(HMACSHA256.HashData(_tagKey, Encoding.UTF8.GetBytes(typed)))[..8];

    public async Task<LoginVerdict> CheckAsync(string typed, string password, CancellationToken ct)
    {
        var user = password.Length is > 0 and <= 1024 ? Known(typed) : null;
        if (user is null)
        {
            await WaitAsync(await TypicalAsync(password, ct), ct);
            return LoginVerdict.Invalid;
        }
        if (!await _turns.WaitAsync(MaxWait, ct)) return LoginVerdict.Busy;
        try
        {
            return await HashAsync(() => PasswordHash.Verify(password, config.Users[user])) ? LoginVerdict.Valid : LoginVerdict.Invalid;
        }
        finally
        {
            _turns.Release();
        }
    }

    /// <summary>
    /// Waits at least <paramref name="wait"/> by the stopwatch. Task.Delay's timer runs on a coarse
    /// clock (jiffies on Linux) and can end a few milliseconds early, which would let an unknown
    /// name answer measurably sooner than a real check (seen: 85 ms against 88 ms).
    /// </summary>
    private static async Task WaitAsync(TimeSpan wait, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(wait, ct);
        while (Stopwatch.GetElapsedTime(started) < wait) await Task.Delay(1, ct);
    }

    /// <summary>The time a real check takes; measured once with a real hash when nothing has been checked yet.</summary>
    private async Task<TimeSpan> TypicalAsync(string password, CancellationToken ct)
    {
        if (Interlocked.Read(ref _typical) == 0 && config.Users.Values.FirstOrDefault() is { } someone)
        {
            if (!await _turns.WaitAsync(MaxWait, ct)) return MaxWait;
            try
            {
                if (Interlocked.Read(ref _typical) == 0) await HashAsync(() => PasswordHash.Verify(password, someone));
            }
            finally
            {
                _turns.Release();
            }
        }
        return Typical;
    }

    /// <summary>
    /// Hashes on a thread of its own, not one of the pool's: a pool thread held by PBKDF2 for
    /// ~0.2 s is one the pool must replace before /health or a run's progress is answered.
    /// </summary>
    private Task<bool> HashAsync(Func<bool> verify) =>
        Task.Factory.StartNew(() => Hash(verify), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private bool Hash(Func<bool> verify)
    {
        Interlocked.Increment(ref _hashes);
        var running = Interlocked.Increment(ref _running);
        for (var peak = Volatile.Read(ref _peak); running > peak; peak = Volatile.Read(ref _peak))
            Interlocked.CompareExchange(ref _peak, running, peak);
        var started = Stopwatch.GetTimestamp();
        bool valid;
        try { valid = verify(); }
        finally { Interlocked.Decrement(ref _running); }
        var took = Stopwatch.GetTimestamp() - started;
        // A moving average, so one slow check (a busy machine) does not set the time for good.
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref _typical);
            next = seen == 0 ? took : (seen * 7 + took) / 8;
        } while (Interlocked.CompareExchange(ref _typical, next, seen) != seen);
        return valid;
    }
}
