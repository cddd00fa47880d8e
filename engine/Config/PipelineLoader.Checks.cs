using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>Rules across steps, checked once every step is read: unique names, dependencies on earlier layers only, the rejects step.</summary>
public static partial class PipelineLoader
{
    private static void CheckNames(ImmutableArray<LayerConfig> layers, DiagnosticBag diagnostics)
    {
        var seenLayers = new HashSet<string>();
        foreach (var layer in layers)
        {
            if (!seenLayers.Add(layer.Name)) diagnostics.Add(layer.Span, $"duplicate layer name '{layer.Name}'");
            if (layer.Name == StepId.SeedsLayer) diagnostics.Add(layer.Span, "'seeds' is reserved for the seed tables", "rename the layer");
        }
        var seenSteps = new Dictionary<StepId, SourceSpan>();
        foreach (var step in layers.SelectMany(l => l.Steps))
        {
            if (seenSteps.TryGetValue(step.Id, out var first))
                diagnostics.Add(step.Span, $"duplicate step name '{step.Id}' (first defined at {first})", "step names must be unique within a layer");
            else seenSteps[step.Id] = step.Span;
        }
    }

    /// <summary>
    /// Two steps may not write one table, and the names PostgreSQL derives from their tables
    /// (primary key and index names, row and array types, after truncation to 63 bytes) may not
    /// collide within a schema. Script steps name no table of their own.
    /// </summary>
    private static void CheckTableNames(ImmutableArray<LayerConfig> layers, ImmutableDictionary<string, string> schemas, DiagnosticBag diagnostics)
    {
        // A duplicate step name is reported by CheckNames; its first definition stands for the rest.
        var written = layers.SelectMany(l => l.Steps).DistinctBy(s => s.Id)
            .Where(s => s.Materialize != Materialization.Script || s.Extract is not null).ToList();
        foreach (var sameSchema in written.GroupBy(s => schemas.GetValueOrDefault(s.SchemaKey, s.SchemaKey)))
        {
            var tables = new Dictionary<string, StepConfig>();
            foreach (var step in sameSchema)
            {
                if (tables.TryGetValue(step.Table, out var first))
                    diagnostics.Add(step.Span, $"steps '{first.Id}' and '{step.Id}' both write table {sameSchema.Key}.{step.Table}",
                        $"give one of them its own table: table: {step.Table}_2 (first defined at {first.Span})");
                else tables[step.Table] = step;
            }
            ReportCollisions(sameSchema.Key, sameSchema.Where(s => tables[s.Table] == s), RelationNames.Relations, "relation", diagnostics);
            ReportCollisions(sameSchema.Key, sameSchema.Where(s => tables[s.Table] == s), RelationNames.Types, "type", diagnostics);
        }
    }

    private static void ReportCollisions(string schema, IEnumerable<StepConfig> steps, Func<StepConfig, IEnumerable<(string Name, string What)>> names,
        string kind, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, (StepConfig Step, string What)>();
        foreach (var step in steps)
            foreach (var (name, what) in names(step))
            {
                if (!seen.TryGetValue(name, out var first)) { seen[name] = (step, what); continue; }
                if (first.Step == step && first.What == what) continue;
                var owner = first.Step == step ? "its" : $"step '{first.Step.Id}''s";
                diagnostics.Add(step.Span, $"step '{step.Id}': the {what} would be named {name}, as {owner} {first.What} in schema {schema}",
                    $"PostgreSQL cuts names at 63 bytes and a {kind} name is unique per schema: rename a table or change the index columns");
            }
    }

    /// <summary><c>rejects:</c> names the step whose table lists unusable source rows (step, reason, …).</summary>
    private static void CheckRejects(StepReference? rejects, ImmutableArray<LayerConfig> layers, DiagnosticBag diagnostics)
    {
        if (rejects is null) return;
        var steps = layers.SelectMany(l => l.Steps).Select(s => s.Id.ToString()).ToList();
        if (!steps.Contains(rejects.Text))
            diagnostics.Add(rejects.Span, $"'rejects' names unknown step '{rejects.Text}'", Suggest.Hint(rejects.Text, steps, "steps"));
    }

    private static void CheckDependsOn(ImmutableArray<LayerConfig> layers, DiagnosticBag diagnostics)
    {
        // Duplicate names are reported by CheckNames; the first definition stands for the rest.
        var steps = layers.SelectMany(l => l.Steps).GroupBy(s => s.Id.ToString()).ToDictionary(g => g.Key, g => g.First());
        foreach (var step in layers.SelectMany(l => l.Steps))
        foreach (var dependency in step.DependsOn.Concat(step.Tests.Where(t => t.To is not null).Select(t => t.To!)))
        {
            if (!steps.TryGetValue(dependency.Text, out var target))
                diagnostics.Add(dependency.Span, $"step '{step.Id}' depends on unknown step '{dependency.Text}'", Suggest.Hint(dependency.Text, steps.Keys.ToList(), "steps"));
            else if (target.LayerIndex > step.LayerIndex)
                diagnostics.Add(dependency.Span, $"step '{step.Id}' depends on '{target.Id}' of a later layer",
                    $"a step may read only from its own or earlier layers; move it to layer '{target.Id.Layer}' or later");
        }
    }
}
