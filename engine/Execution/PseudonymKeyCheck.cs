using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// A run never mixes pseudonyms of two keys (SPEC §9.4). Another key gives every person other ids,
/// and a normal run recomputes only what changed: with a new key it would keep the old ids of the
/// rest and publish both (a fact whose report_id no dimension holds, a patient counted twice).
/// So, under the run lock and before any step:
/// <list type="bullet">
/// <item>the first run that computes pseudonyms records its key's fingerprint (a warehouse built
/// before this check adopts the key of its next run);</item>
/// <item>a run with another key is refused (exit 2) unless it is a <c>--full-refresh</c> that
/// selects every step that holds pseudonyms (those that compute them and everything downstream):
/// that run is a rotation, recorded as begun before its first step and as finished once every one
/// of those steps succeeded;</item>
/// <item>while a rotation has not finished, only such a run may build on the warehouse, whatever
/// its key: the tables may hold ids of both;</item>
/// <item>with <c>--defer</c>, the key must also be the one of the warehouse the run reads.</item>
/// </list>
/// </summary>
internal sealed class PseudonymKeyCheck(Workspace workspace, NpgsqlDataSource dataSource)
{
    private PseudonymKeyRecords Records => new(workspace.Project.MetaSchema);

    /// <summary>Every step whose table holds pseudonyms: those that compute them, and their descendants.</summary>
    public IReadOnlySet<StepId> Holders()
    {
        var computing = workspace.Steps.Values.Where(s => s.UsesPseudonyms).Select(s => s.Step.Id).ToList();
        return computing.Concat(computing.SelectMany(workspace.Dag.Descendants)).ToHashSet();
    }

    /// <summary>
    /// Refuses the run when it would mix keys; records the key otherwise. True when the run rotates
    /// the key (<see cref="FinishAsync"/> ends the rotation once its steps have run). An
    /// <c>--atomic</c> rotation is recorded as begun too: its end is written after its commit, and a
    /// connection lost between the two must not leave the old key accepted on new ids.
    /// </summary>
    public async Task<bool> CheckAsync(IReadOnlyList<StepId> selected, PseudonymKey? key, string runId, CancellationToken ct)
    {
        var holders = Holders();
        if (!selected.Any(holders.Contains)) return false;
        var recorded = await Records.ReadAsync(dataSource, ct);
        var rebuildsAll = workspace.Run.FullRefresh && holders.All(selected.Contains);
        if (recorded is { Rotating: true } && !rebuildsAll)
            throw Refusal(holders, selected,
                $"the key rotation of run {recorded.RunId} ({recorded.RecordedAt:yyyy-MM-dd HH:mm} UTC) did not finish: the tables may hold pseudonyms of both keys",
                "finish it with the new key: engine run --full-refresh (docs/operations.md)");
        if (key is null) return false;   // the selection computes no pseudonym: it only reads what the holders upstream hold
        await CheckDeferredAsync(holders, key, ct);
        if (recorded is null)
        {
            await Records.RecordAsync(dataSource, key.Fingerprint, rotating: false, runId, ct);
            return false;
        }
        if (recorded.Fingerprint == key.Fingerprint && !recorded.Rotating) return false;
        if (!rebuildsAll)
            throw Refusal(holders, selected,
                $"{KeyVariable} is not the key this warehouse's pseudonyms were computed with (recorded by run {recorded.RunId}): " +
                "a run with it would publish new ids beside the old ones",
                "if the key was rotated on purpose, rebuild every step that holds pseudonyms in one run: engine run --full-refresh " +
                $"(docs/operations.md); otherwise set {KeyVariable} back to the key in use");
        await Records.RecordAsync(dataSource, key.Fingerprint, rotating: true, runId, ct);
        return true;
    }

    /// <summary>Records the new key once every step that holds pseudonyms succeeded; otherwise the rotation stays begun.</summary>
    public async Task FinishAsync(IReadOnlyList<StepResult> steps, PseudonymKey key, string runId, CancellationToken ct)
    {
        var succeeded = steps.Where(s => s.Status == StepStatus.Success).Select(s => s.Step).ToHashSet();
        if (Holders().All(succeeded.Contains)) await Records.RecordAsync(dataSource, key.Fingerprint, rotating: false, runId, ct);
    }

    /// <summary>
    /// With <c>--defer</c>, the ids this run computes meet those of the production tables it reads:
    /// both must come from one key. Production's fingerprint is in its own meta schema; a production
    /// that recorded none (an older engine) is not checked.
    /// </summary>
    private async Task CheckDeferredAsync(IReadOnlySet<StepId> holders, PseudonymKey key, CancellationToken ct)
    {
        if (workspace.Deferral is not { } deferral || !deferral.Steps.Any(holders.Contains)
            || !deferral.Schemas.TryGetValue(PipelineLoader.MetaSchemaKey, out var productionMeta) || productionMeta == workspace.Project.MetaSchema)
            return;
        if (await new PseudonymKeyRecords(productionMeta).ReadAsync(dataSource, ct, mayBeMissing: true) is { } production
            && production.Fingerprint != key.Fingerprint)
            throw new PipelineException(ErrorKind.Config, workspace.Project.Config.PseudonymKey?.Span,
                $"{KeyVariable} is not the key of the warehouse that --defer reads ({productionMeta.Name}): " +
                "the ids this run computes would not match those it reads from there",
                $"run with that warehouse's key in {KeyVariable}, or without --defer (building the steps it would read)");
    }

    private string KeyVariable => workspace.Project.Config.PseudonymKey?.Name ?? "the pseudonym key";

    private PipelineException Refusal(IReadOnlySet<StepId> holders, IReadOnlyList<StepId> selected, string message, string hint)
    {
        var missing = holders.Where(h => !selected.Contains(h)).Select(h => h.ToString()).Order(StringComparer.Ordinal).ToList();
        if (workspace.Run.FullRefresh && missing.Count > 0)
            (message, hint) = ($"{message}; --full-refresh must select every step that holds pseudonyms; not selected: {string.Join(", ", missing)}",
                "run --full-refresh without --only, --exclude or --from");
        return new PipelineException(ErrorKind.Config, workspace.Project.Config.PseudonymKey?.Span, message, hint);
    }
}
