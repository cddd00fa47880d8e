using System.Collections.Immutable;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Graph;

/// <summary>A seed: <c>seeds/name.csv</c>, loaded into the table <c>seeds.name</c>.</summary>
public sealed record SeedFile(string Name, string Path)
{
    /// <summary>The seed as a node of the DAG.</summary>
    public StepId Id => new(StepId.SeedsLayer, Name);

    /// <summary>
    /// SHA-256 of the file and its declared column types: what a load records, and what the
    /// state's manifest compares (a changed type reloads the seed as a changed row would).
    /// </summary>
    public string Hash(PipelineConfig config, byte[]? bytes = null)
    {
        bytes ??= File.ReadAllBytes(Path);
        var declared = string.Join(";", (config.SeedTypes.GetValueOrDefault(Name) ?? []).OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData([.. bytes, .. System.Text.Encoding.UTF8.GetBytes(declared)])).ToLowerInvariant();
    }
}

/// <summary>
/// Everything render, plan, graph, validate and run need: the resolved project, every step
/// rendered, and the DAG built from their references. Built without a database.
/// </summary>
public sealed class Workspace
{
    private Workspace(Project project, RunContext run, ImmutableDictionary<StepId, RenderedStep> steps, Dag dag, ImmutableArray<SeedFile> seeds,
        IReadOnlyDictionary<StepId, Meta.ChangeLogReaders> changeLogs)
        => (Project, Run, Steps, Dag, Seeds, ChangeLogs) = (project, run, steps, dag, seeds, changeLogs);

    public Project Project { get; }
    public RunContext Run { get; }
    public ImmutableDictionary<StepId, RenderedStep> Steps { get; }
    public Dag Dag { get; }
    public ImmutableArray<SeedFile> Seeds { get; }

    /// <summary>Every step whose change log is read: who reads it and what it keeps.</summary>
    public IReadOnlyDictionary<StepId, Meta.ChangeLogReaders> ChangeLogs { get; }

    public Selector Selector => new(Dag, Project.Config.Steps.ToList());

    /// <summary>
    /// The pseudonym key when a selected step computes pseudonyms (SPEC §9.4): checked before
    /// anything runs, so a missing or short key is a configuration error (exit 2), not a failed step.
    /// </summary>
    public PseudonymKey? PseudonymKeyFor(IEnumerable<StepId> selected, Func<string, string?> environment) =>
        selected.Any(id => Steps.TryGetValue(id, out var step) && step.UsesPseudonyms)
            ? PseudonymKey.Resolve(Project.Config, environment)
            : null;

    /// <summary>The selector that also knows <c>state:modified</c> and <c>state:new</c>.</summary>
    public Selector SelectorWith(StateSets? state) => new(Dag, Project.Config.Steps.ToList(), state);

    /// <summary>The steps <c>--defer</c> reads from production, when built with a deferral.</summary>
    public Deferral? Deferral { get; private init; }

    /// <param name="deferral">With <c>--defer</c>: <c>ref</c> of these steps renders production's table.</param>
    public static Workspace Build(Project project, RunContext run, Deferral? deferral = null)
    {
        var seeds = FindSeeds(project.Config.SeedsDir);
        var renderer = new SqlRenderer(project, run, seeds.Select(s => s.Name).ToHashSet(), deferral: deferral);
        var rendered = ImmutableDictionary.CreateBuilder<StepId, RenderedStep>();
        var problems = new DiagnosticBag();
        var reported = new HashSet<Diagnostic>();
        foreach (var (step, result, error) in RenderAll(renderer, [.. project.Config.Steps]))
        {
            if (result is not null) rendered[step.Id] = result;
            // A mistake inside a macro fails every step that calls it: report it once.
            else problems.AddRange(error!.Diagnostics.Where(d => !reported.Contains(d)).Where(reported.Add));
        }
        problems.ThrowIfAny();

        // Steps read with `changes` log their changes, keeping their key and the columns their
        // readers name (SPEC §9.6): render them, and their readers (who trim the logs they read
        // last), again knowing who reads what.
        var readers = rendered.Values.SelectMany(r => r.ChangeReads.Select(read => (Read: read, Consumer: r.Step.Id)))
            .GroupBy(pair => pair.Read.Producer)
            .ToDictionary(g => g.Key, g => new Meta.ChangeLogReaders(
                [.. g.Select(pair => pair.Consumer).Distinct().Order()],
                [.. rendered[g.Key].Step.Key.Concat(g.SelectMany(pair => pair.Read.Columns).Distinct().Order(StringComparer.Ordinal))]));
        if (readers.Count > 0)
        {
            var tracking = new SqlRenderer(project, run, seeds.Select(s => s.Name).ToHashSet(), readers, deferral);
            var again = readers.Keys.Concat(readers.Values.SelectMany(r => r.Consumers)).Distinct().Select(id => rendered[id].Step).ToList();
            foreach (var (step, result, error) in RenderAll(tracking, again)) rendered[step.Id] = result ?? throw error!;
        }

        // In declaration order, so graphs print the same on every run. Seeds are nodes too (SPEC §6):
        // a step that reads one depends on it, and `seeds.x+` selects its readers.
        var edges = project.Config.Steps.Select(s => rendered[s.Id]).SelectMany(r => r.Refs
            .Where(reference => StepId.TryParse(reference.Text, out _))
            .Select(reference => { StepId.TryParse(reference.Text, out var id); return new Edge(id, r.Step.Id, reference.Span); }));
        var dag = new Dag(seeds.Select(s => s.Id).Concat(project.Config.Steps.Select(s => s.Id)), edges);
        return new Workspace(project, run, rendered.ToImmutable(), dag, seeds, readers) { Deferral = deferral };
    }

    /// <summary>
    /// Each step rendered, in the given order, on every core: rendering is CPU work the run waits
    /// for before its first step (about 25 ms for the Lacrei pipeline in the native build), and
    /// steps render independently of each other.
    /// </summary>
    private static (StepConfig Step, RenderedStep? Result, PipelineException? Error)[] RenderAll(SqlRenderer renderer, IReadOnlyList<StepConfig> steps)
    {
        var results = new (StepConfig, RenderedStep?, PipelineException?)[steps.Count];
        var unexpected = new Exception?[steps.Count];
        Parallel.For(0, steps.Count, i =>
        {
            try { results[i] = (steps[i], renderer.RenderStep(steps[i]), null); }
            catch (PipelineException e) { results[i] = (steps[i], null, e); }
            catch (Exception e) { unexpected[i] = e; }
        });
        // Anything else is raised as it would have been on one thread: the first, as itself (not wrapped).
        if (unexpected.FirstOrDefault(e => e is not null) is { } first) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        return results;
    }

    private static ImmutableArray<SeedFile> FindSeeds(string? dir) =>
        dir is null || !Directory.Exists(dir)
            ? []
            : Directory.EnumerateFiles(dir, "*.csv").Order(StringComparer.Ordinal)
                .Select(path => new SeedFile(System.IO.Path.GetFileNameWithoutExtension(path), path)).ToImmutableArray();
}
