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
}

/// <summary>
/// Everything render, plan, graph, validate and run need: the resolved project, every step
/// rendered, and the DAG built from their references. Built without a database.
/// </summary>
public sealed class Workspace
{
    private Workspace(Project project, RunContext run, ImmutableDictionary<StepId, RenderedStep> steps, Dag dag, ImmutableArray<SeedFile> seeds)
        => (Project, Run, Steps, Dag, Seeds) = (project, run, steps, dag, seeds);

    public Project Project { get; }
    public RunContext Run { get; }
    public ImmutableDictionary<StepId, RenderedStep> Steps { get; }
    public Dag Dag { get; }
    public ImmutableArray<SeedFile> Seeds { get; }

    public Selector Selector => new(Dag, Project.Config.Steps.ToList());

    public static Workspace Build(Project project, RunContext run)
    {
        var seeds = FindSeeds(project.Config.SeedsDir);
        var renderer = new SqlRenderer(project, run, seeds.Select(s => s.Name).ToHashSet());
        var rendered = ImmutableDictionary.CreateBuilder<StepId, RenderedStep>();
        var problems = new DiagnosticBag();
        var reported = new HashSet<Diagnostic>();
        foreach (var step in project.Config.Steps)
        {
            try { rendered[step.Id] = renderer.RenderStep(step); }
            // A mistake inside a macro fails every step that calls it: report it once.
            catch (PipelineException e) { problems.AddRange(e.Diagnostics.Where(d => !reported.Contains(d)).Where(reported.Add)); }
        }
        problems.ThrowIfAny();

        // Steps read with `changes` log their changes: render them again knowing who reads them.
        var consumers = rendered.Values.SelectMany(r => r.ChangeProducers.Select(p => (Producer: p, Consumer: r.Step.Id)))
            .GroupBy(pair => pair.Producer)
            .ToDictionary(g => g.Key, g => g.Select(pair => pair.Consumer).Distinct().OrderBy(c => c.ToString(), StringComparer.Ordinal).ToImmutableArray());
        if (consumers.Count > 0)
        {
            var tracking = new SqlRenderer(project, run, seeds.Select(s => s.Name).ToHashSet(), consumers);
            foreach (var producer in consumers.Keys) rendered[producer] = tracking.RenderStep(rendered[producer].Step);
        }

        // In declaration order, so graphs print the same on every run. Seeds are nodes too (SPEC §6):
        // a step that reads one depends on it, and `seeds.x+` selects its readers.
        var edges = project.Config.Steps.Select(s => rendered[s.Id]).SelectMany(r => r.Refs
            .Where(reference => StepId.TryParse(reference.Text, out _))
            .Select(reference => { StepId.TryParse(reference.Text, out var id); return new Edge(id, r.Step.Id, reference.Span); }));
        var dag = new Dag(seeds.Select(s => s.Id).Concat(project.Config.Steps.Select(s => s.Id)), edges);
        return new Workspace(project, run, rendered.ToImmutable(), dag, seeds);
    }

    private static ImmutableArray<SeedFile> FindSeeds(string? dir) =>
        dir is null || !Directory.Exists(dir)
            ? []
            : Directory.EnumerateFiles(dir, "*.csv").Order(StringComparer.Ordinal)
                .Select(path => new SeedFile(System.IO.Path.GetFileNameWithoutExtension(path), path)).ToImmutableArray();
}
