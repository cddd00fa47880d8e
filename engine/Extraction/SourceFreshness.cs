using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Sql;
using Npgsql;

namespace Lacrei.Engine.Extraction;

public enum FreshnessStatus { Pass, Warn, Error }

/// <summary>
/// How old one source table's newest row is: by the extract's cursor, read on the source
/// (<paramref name="MeasuredBy"/> is the cursor), else by when the engine last captured a
/// change of it (<c>captured</c>). <paramref name="Age"/> is null when nothing dates the table:
/// never extracted (a warning), or no row by the cursor (stale when error_after is set). Rows whose cursor is after the source's clock
/// are not counted (<paramref name="FutureRows"/>) and make a warning at least.
/// </summary>
public sealed record FreshnessResult(StepId Step, string Source, string Table, string MeasuredBy, TimeSpan? Age, long FutureRows,
    FreshnessStatus Status, Freshness Limits, string? Problem = null);

/// <summary>
/// Source freshness (issue 23, as dbt's <c>source freshness</c>): for each extract step with
/// <c>freshness:</c>, the age of its source's newest row against <c>warn_after</c> and
/// <c>error_after</c>. Reads only: the source by the cursor, the meta schema for capture times.
/// </summary>
public sealed class SourceFreshness(Project project, SourceConnections sources, NpgsqlDataSource target)
{
    public const string Captured = "captured";

    public async Task<IReadOnlyList<FreshnessResult>> CheckAsync(IEnumerable<StepConfig> steps, CancellationToken ct)
    {
        var results = new List<FreshnessResult>();
        foreach (var step in steps)
            if (step.Extract is { Freshness: { } limits } extract)
                results.Add(await CheckAsync(step, extract, limits, ct));
        return results;
    }

    private async Task<FreshnessResult> CheckAsync(StepConfig step, ExtractConfig extract, Freshness limits, CancellationToken ct)
    {
        var result = new FreshnessResult(step.Id, extract.Source, extract.Table, extract.Cursor ?? Captured, null, 0, FreshnessStatus.Error, limits);
        try
        {
            var (age, future) = extract.Cursor is { } cursor ? await ByCursorAsync(extract, cursor, ct) : (await CapturedAsync(step, ct), 0L);
            result = result with { Age = age, FutureRows = future };
            // Nothing dates the table. Never extracted is a warning, or the first run could never pass
            // --require-fresh; an empty source (by its cursor) is stale when it may be.
            if (age is null)
                return extract.Cursor is null
                    ? result with { Status = FreshnessStatus.Warn, Problem = "never extracted" }
                    : result with { Status = limits.ErrorAfter is null ? FreshnessStatus.Warn : FreshnessStatus.Error, Problem = $"no row has a {extract.Cursor} up to now" };
            var status = limits.ErrorAfter is { } error && age > error ? FreshnessStatus.Error
                : (limits.WarnAfter is { } warn && age > warn) || future > 0 ? FreshnessStatus.Warn
                : FreshnessStatus.Pass;
            return result with { Status = status };
        }
        catch (PostgresException e)
        {
            // The database's message names objects and types, never a row value.
            return result with { Problem = e.MessageText };
        }
        catch (NpgsqlException e)
        {
            return result with { Problem = $"source '{extract.Source}' could not be read: {e.Message}" };
        }
    }

    private async Task<(TimeSpan?, long)> ByCursorAsync(ExtractConfig extract, string cursor, CancellationToken ct)
    {
        var source = sources.Resolve(extract);
        var dataSource = sources.For(source) ?? target;
        await using var command = dataSource.CreateCommand(FreshnessSql.NewestByCursor(source.Schema, extract.Table, cursor));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.IsDBNull(0) ? null : TimeSpan.FromSeconds(reader.GetDouble(0)), reader.GetInt64(1));
    }

    private async Task<TimeSpan?> CapturedAsync(StepConfig step, CancellationToken ct)
    {
        var watermarks = new Watermarks(project.MetaSchema, step.Id);
        await using (var exists = target.CreateCommand(watermarks.Exists))
            if (await exists.ExecuteScalarAsync(ct) is not true) return null;
        await using var command = target.CreateCommand(watermarks.CapturedAgeSeconds);
        return await command.ExecuteScalarAsync(ct) is double seconds ? TimeSpan.FromSeconds(seconds) : null;
    }
}
