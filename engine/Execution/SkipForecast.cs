using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>Whether a step would be skipped as unchanged: true, false, or null when that depends on what runs before it.</summary>
public sealed record SkipPrediction(bool? WouldSkip, string Reason);

/// <summary>
/// <c>engine plan</c>'s forecast of the skipping a run would do (<see cref="ChangeDetector"/>),
/// read from the target's meta schema without changing anything. A step whose SQL, seeds, inputs'
/// data versions and table are as it last left them is skipped when every selected step before
/// it is skipped too; when one of those runs, the forecast is null: it depends on whether that
/// step writes rows (an upsert that changes nothing keeps its data version).
/// </summary>
public static class SkipForecast
{
    public static async Task<IReadOnlyDictionary<StepId, SkipPrediction>> PredictAsync(NpgsqlDataSource dataSource, Workspace workspace,
        IReadOnlyList<StepId> selected, CancellationToken ct)
    {
        await using (var probe = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL"))
        {
            probe.Parameters.Add(new NpgsqlParameter { Value = $"{workspace.Project.MetaSchema.Quoted}.step_state" });
            if (!(bool)(await probe.ExecuteScalarAsync(ct))!)
                return selected.ToDictionary(id => id, _ => new SkipPrediction(false, "the pipeline never ran in this target"));
        }
        var detector = await ChangeDetector.LoadAsync(dataSource, workspace, ct);
        var changedSeeds = workspace.Seeds.Where(seed => detector.LoadedSeedHash(seed.Name) != seed.Hash(workspace.Project.Config))
            .Select(seed => seed.Id).ToHashSet();
        var inRun = selected.ToHashSet();
        var forecast = new Dictionary<StepId, SkipPrediction>();
        foreach (var id in selected)
        {
            var step = workspace.Steps[id];
            var upstream = workspace.Dag.UpstreamOf(id);
            if (detector.WhyItRuns(step) is { } why) forecast[id] = new SkipPrediction(false, why);
            else if (upstream.FirstOrDefault(changedSeeds.Contains) is { IsSeed: true } seed)
                forecast[id] = new SkipPrediction(false, $"seed {seed} changed since it was loaded");
            else if (upstream.FirstOrDefault(u => inRun.Contains(u) && forecast[u].WouldSkip != true) is { Layer: not null } moving)
                forecast[id] = new SkipPrediction(null, $"it depends on whether {moving} writes rows");
            else forecast[id] = new SkipPrediction(true, "its SQL, inputs and table are as it last left them");
        }
        return forecast;
    }
}
