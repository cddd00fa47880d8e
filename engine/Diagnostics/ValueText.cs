using System.Globalization;

namespace Lacrei.Engine.Diagnostics;

/// <summary>Database values as people read them in samples and summaries: ISO dates, lower-case booleans.</summary>
public static class ValueText
{
    public static string? Format(object? value) => value switch
    {
        null or DBNull => null,
        DateTime date when date.TimeOfDay == TimeSpan.Zero => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        Array array => "{" + string.Join(",", array.Cast<object>().Select(Format)) + "}",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
