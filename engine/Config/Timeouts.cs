using System.Globalization;
using System.Text.RegularExpressions;

namespace Lacrei.Engine.Config;

/// <summary>
/// How a run shares the database with its readers and with other runs (docs/operations.md):
/// top-level keys of pipeline.yaml, and <c>statement_timeout</c> also per step.
/// </summary>
/// <param name="LockTimeout">
/// The longest one statement of a step waits for a lock (PostgreSQL's <c>lock_timeout</c>). While
/// a step waits for a lock, new readers of that table queue behind it, so this bounds their wait
/// (SPEC §6). Zero waits for ever.
/// </param>
/// <param name="LockWaitLimit">How long a step keeps retrying after lock timeouts before it fails naming the blocker.</param>
/// <param name="StatementTimeout">The longest one statement of a step may run (PostgreSQL's <c>statement_timeout</c>); null: the server's setting.</param>
/// <param name="RunLease">
/// How long the run lease lasts without a heartbeat (renewed every third of it): a run killed
/// without a word blocks the next one at most this long.
/// </param>
public sealed record Timeouts(TimeSpan LockTimeout, TimeSpan LockWaitLimit, TimeSpan? StatementTimeout, TimeSpan RunLease)
{
    public static Timeouts Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), null, TimeSpan.FromSeconds(60));
}

/// <summary>Durations as pipeline.yaml writes them, in PostgreSQL's units: <c>500ms</c>, <c>2s</c>, <c>5min</c>, <c>1h</c>, <c>1d</c>.</summary>
public static partial class Duration
{
    public const string Rule = "a number and a unit: ms, s, min, h or d (e.g. 500ms, 2s, 5min)";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Trim() == "0") return true;
        var match = Pattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)) return false;
        value = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "min" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        return true;
    }

    /// <summary>For messages: the largest unit that keeps it whole (<c>2s</c>, <c>5min</c>, <c>1500ms</c>).</summary>
    public static string Text(TimeSpan value) => value switch
    {
        { Ticks: 0 } => "0",
        _ when value.TotalMilliseconds % 3_600_000 == 0 => $"{value.TotalHours:0}h",
        _ when value.TotalMilliseconds % 60_000 == 0 => $"{value.TotalMinutes:0}min",
        _ when value.TotalMilliseconds % 1000 == 0 => $"{value.TotalSeconds:0}s",
        _ => $"{value.TotalMilliseconds:0}ms",
    };

    /// <summary>For people, to the second: <c>12s</c>, <c>6min 12s</c>, <c>2h 5min</c>.</summary>
    public static string Human(TimeSpan value)
    {
        var seconds = (long)Math.Round(value.TotalSeconds);
        if (seconds < 60) return $"{seconds}s";
        if (seconds < 3600) return seconds % 60 == 0 ? $"{seconds / 60}min" : $"{seconds / 60}min {seconds % 60}s";
        var minutes = seconds / 60;
        return minutes % 60 == 0 ? $"{minutes / 60}h" : $"{minutes / 60}h {minutes % 60}min";
    }

    /// <summary>As a PostgreSQL setting's value (for <c>set_config</c>): whole milliseconds, at least 1 unless zero.</summary>
    public static string Setting(TimeSpan value) =>
        value == TimeSpan.Zero ? "0" : $"{Math.Max(1, (long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)}ms";

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)$")]
    private static partial Regex Pattern();
}
