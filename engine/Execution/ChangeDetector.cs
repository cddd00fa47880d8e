using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;
using Npgsql;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Execution;

/// <summary>
/// Decides whether a step's output can have changed since it last ran (as SQLMesh does), and so
/// whether it is skipped: same rendered SQL (which includes run.as_of and every var it uses),
/// every upstream table and seed at the same data version as when the step last ran, and its own
/// table as the engine left it (no foreign write, 0009_foreign_writes.sql). A step's data version
/// moves only when it writes rows, so a no-op rerun touches the sources and nothing else. Never
/// skipped: script steps (side effects), extract steps (the source may have changed), steps that
/// read a source directly, and everything under --full-refresh.
/// </summary>
public sealed class ChangeDetector
{
    private readonly Workspace _workspace;
    private readonly Dictionary<string, StepState> _stored;
    private readonly Dictionary<string, string> _seeds;
    private readonly HashSet<string> _existing;
    private readonly ConcurrentDictionary<StepId, string> _versions = new();

    private ChangeDetector(Workspace workspace, Dictionary<string, StepState> stored, Dictionary<string, string> seeds, HashSet<string> existing)
        => (_workspace, _stored, _seeds, _existing) = (workspace, stored, seeds, existing);

    public static async Task<ChangeDetector> LoadAsync(NpgsqlDataSource dataSource, Workspace workspace, CancellationToken ct)
    {
        var states = new StepStates(workspace.Project.MetaSchema);
        var existing = new HashSet<string>();
        await using var batch = new NpgsqlBatch(await dataSource.OpenConnectionAsync(ct))
        {
            BatchCommands =
            {
                states.SelectStates(),
                new SeedLog(workspace.Project.MetaSchema).SelectHashes(),
                new("SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL")
                {
                    Parameters = { new() { Value = workspace.Steps.Values.Select(s => workspace.Project.TableOf(s.Step)).ToArray() } },
                },
            },
        };
        await using (batch.Connection)
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            var stored = await StepStates.ReadStatesAsync(reader, ct);
            await reader.NextResultAsync(ct);
            var seeds = await SeedLog.ReadHashesAsync(reader, ct);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) existing.Add(reader.GetString(0));
            return new ChangeDetector(workspace, stored, seeds, existing);
        }
    }

    /// <summary>The signature of a step's inputs now: its SQL and the data versions of what it reads.</summary>
    public string Signature(RenderedStep step) => SignatureOf(step, _workspace.Dag.UpstreamOf(step.Step.Id));

    /// <summary>
    /// The signature of what an incremental step with a scope does not read as changes: its SQL,
    /// seeds and the other upstream steps. While it stays the same, the step may go on from its
    /// last run; otherwise it recomputes everything.
    /// </summary>
    public string StaticSignature(RenderedStep step) => SignatureOf(step, step.StaticInputs);

    public bool CanGoOn(RenderedStep step) =>
        !_workspace.Run.FullRefresh && step.FullSql is not null
        && _stored.TryGetValue(step.Step.Id.ToString(), out var state) && state.TableAsLeft && state.StaticSignature == StaticSignature(step);

    private string SignatureOf(RenderedStep step, IEnumerable<StepId> inputs)
    {
        var text = new StringBuilder(step.StateHash);
        // Its data tests count as its SQL: a new or changed test runs the step again.
        foreach (var test in step.Tests) text.Append('|').Append(test.Config.Severity).Append(':').Append(test.Sql);
        var read = ThroughViews(inputs).ToList();
        foreach (var upstream in read.Where(s => !s.IsSeed).OrderBy(s => s.ToString(), StringComparer.Ordinal))
            text.Append('|').Append(upstream).Append('=').Append(VersionOf(upstream));
        var seedsThroughViews = read.Where(s => s.IsSeed && !inputs.Contains(s)).Select(s => s.ToString());
        foreach (var seed in step.Refs.Select(r => r.Text).Where(r => r.StartsWith(StepId.SeedsLayer + ".", StringComparison.Ordinal))
                     .Concat(seedsThroughViews).Distinct().Order(StringComparer.Ordinal))
            text.Append('|').Append(seed).Append('=').Append(_seeds.GetValueOrDefault(seed[(StepId.SeedsLayer.Length + 1)..], "none"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    /// <summary>
    /// A view's rows are its inputs' rows read now, so a step that reads a view also counts what
    /// the view reads (and so on through views of views): a changed table under a view recomputes
    /// its readers even when the view itself was not selected and kept its version.
    /// </summary>
    private IEnumerable<StepId> ThroughViews(IEnumerable<StepId> inputs)
    {
        var seen = new HashSet<StepId>();
        var pending = new Stack<StepId>(inputs);
        while (pending.TryPop(out var input))
        {
            if (!seen.Add(input)) continue;
            if (_workspace.Steps.TryGetValue(input, out var rendered) && rendered.Step.Materialize == Materialization.View)
                foreach (var upstream in _workspace.Dag.UpstreamOf(input)) pending.Push(upstream);
        }
        return seen;
    }

    public bool CanSkip(RenderedStep step) => WhyItRuns(step) is null;

    /// <summary>Why the step cannot be skipped as unchanged (for people: <c>engine plan</c>); null when it can.</summary>
    public string? WhyItRuns(RenderedStep step)
    {
        if (_workspace.Run.FullRefresh)
            return step.Step.Materialize == Materialization.Snapshot ? "--full-refresh runs it (a snapshot keeps its history)" : "--full-refresh rebuilds it";
        if (step.Step.Materialize == Materialization.Script) return "a script step always runs";
        if (step.Extract is not null) return "an extract step always reads its source";
        if (step.ReadsSources) return "it reads a source table directly";
        if (!_existing.Contains(_workspace.Project.TableOf(step.Step))) return "its table does not exist yet";
        // SPEC §6: the table as the engine last left it; a hand edit or another step's write recomputes it.
        if (!_stored.TryGetValue(step.Step.Id.ToString(), out var state)) return "it never ran in this target";
        if (!state.TableAsLeft) return "something else wrote its table since it last ran";
        if (state.SqlHash != step.StateHash) return "its SQL changed since it last ran";
        if (state.InputSignature != Signature(step)) return "its inputs or data tests changed since it last ran";
        return null;
    }

    /// <summary>The hash of a seed as last loaded, or null.</summary>
    public string? LoadedSeedHash(string seed) => _seeds.GetValueOrDefault(seed);

    /// <summary>After a step ran: its data version is this run when it wrote rows (or always, for a script).</summary>
    public string NewVersion(RenderedStep step, long rows, string runId)
    {
        var previous = _stored.TryGetValue(step.Step.Id.ToString(), out var state) ? state.DataVersion : null;
        // A view writes no rows, and runs only when its SQL or inputs changed: then what it returns may have changed.
        var version = rows > 0 || previous is null || step.Step.Materialize is Materialization.Script or Materialization.View ? runId : previous;
        _versions[step.Step.Id] = version;
        return version;
    }

    public void Skipped(RenderedStep step) => _versions[step.Step.Id] = _stored[step.Step.Id.ToString()].DataVersion;

    private string VersionOf(StepId step) =>
        _versions.TryGetValue(step, out var version) ? version
        : _stored.TryGetValue(step.ToString(), out var state) ? state.DataVersion
        : "never";

    /// <summary>Records what the step produced from what, in its transaction.</summary>
    public NpgsqlCommand SaveCommand(Identifier meta, RenderedStep step, string signature, string version,
        NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        new StepStates(meta).SaveCommand(step.Step.Id, new StepState(step.StateHash, signature, version, step.FullSql is null ? null : StaticSignature(step),
                // The foreign writes counted when the run began are repaired by this run; later ones count for the next.
                ForeignWritesSeen: _stored.TryGetValue(step.Step.Id.ToString(), out var state) ? state.ForeignWrites : 0),
            connection, transaction);
}
