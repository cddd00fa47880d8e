namespace Lacrei.Engine.Config;

/// <summary>The per-run inputs of rendering: <c>run.id</c>, <c>run.as_of</c> and flags that change the SQL.</summary>
public sealed record RunContext(string RunId, DateOnly AsOf, bool FullRefresh = false)
{
    /// <summary>The run's reference date: today in the pipeline's time zone unless pinned with --as-of (SPEC §4).</summary>
    public static DateOnly Today(string? timeZone)
    {
        var zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrWhiteSpace(timeZone))
        {
            try { zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone); }
            catch (TimeZoneNotFoundException) { zone = TimeZoneInfo.Utc; }
        }
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone));
    }

    public static string NewRunId() =>
        $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 3).ToLowerInvariant()}";
}
