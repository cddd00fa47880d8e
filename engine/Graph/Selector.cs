using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Graph;

/// <summary>
/// The selection grammar of SPEC §5, shared by run, render, plan and test:
/// <c>--only</c> and <c>--exclude</c> take comma-separated terms, each a layer (<c>mart</c>),
/// a step (<c>mart.patients</c>) or a tag (<c>tag:daily</c>), with <c>+X</c> for X and its
/// ancestors and <c>X+</c> for X and its descendants; <c>--from X</c> means <c>X+</c>.
/// With <c>--state DIR</c>, <c>state:modified</c> and <c>state:new</c> are terms too (slim CI).
/// </summary>
public sealed class Selector(Dag dag, IReadOnlyCollection<StepConfig> steps, StateSets? state = null)
{
    public sealed record Selection(string? Only = null, string? Exclude = null, string? From = null)
    {
        public override string ToString()
        {
            var parts = new List<string>();
            if (Only is not null) parts.Add(Only);
            if (From is not null) parts.Add($"from {From}");
            if (Exclude is not null) parts.Add($"exclude {Exclude}");
            return parts.Count == 0 ? "all" : string.Join("; ", parts);
        }
    }

    /// <summary>The selected steps in run order; an empty match is an error, not a silent no-op (unless it reads the state).</summary>
    public IReadOnlyList<StepId> Select(Selection selection)
    {
        var chosen = selection.Only is null && selection.From is null
            ? dag.Order.ToHashSet()
            : [];
        if (selection.Only is not null) chosen.UnionWith(Expand(selection.Only, "--only"));
        if (selection.From is not null)
        {
            var from = ResolveStep(selection.From.Trim(), "--from");
            chosen.Add(from);
            chosen.UnionWith(dag.Descendants(from));
        }
        if (selection.Exclude is not null) chosen.ExceptWith(Expand(selection.Exclude, "--exclude"));
        // Seeds are nodes (so `seeds.states+` selects the steps that read it), but no step: every run loads them first.
        var selected = dag.Order.Where(id => chosen.Contains(id) && !id.IsSeed).ToList();
        // A CI run of a project that matches its state has nothing to do, and that is no mistake.
        if (selected.Count == 0 && !UsesState(selection))
            throw new PipelineException(ErrorKind.Usage, null, $"the selection '{selection}' matches no step",
                chosen.Count == 0 ? "run 'engine plan' to see the steps, or check --exclude"
                    : "a seed alone is loaded by every run; select the steps that read it with seeds.name+");
        return selected;
    }

    /// <summary>Whether <c>--only</c> or <c>--exclude</c> has a <c>state:</c> term.</summary>
    public static bool UsesState(Selection selection) =>
        $"{selection.Only},{selection.Exclude}".Split(',').Any(term => term.Trim().Trim('+').StartsWith(StateSets.Prefix, StringComparison.Ordinal));

    private HashSet<StepId> Expand(string expression, string option)
    {
        var result = new HashSet<StepId>();
        foreach (var raw in expression.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var withAncestors = raw.StartsWith('+');
            var withDescendants = raw.EndsWith('+') && raw.Length > 1;
            var term = raw.Trim('+');
            foreach (var step in Match(term, option))
            {
                result.Add(step);
                if (withAncestors) result.UnionWith(dag.Ancestors(step));
                if (withDescendants) result.UnionWith(dag.Descendants(step));
            }
        }
        return result;
    }

    private IEnumerable<StepId> Match(string term, string option)
    {
        if (term.StartsWith(StateSets.Prefix, StringComparison.Ordinal)) return MatchState(term, option);
        if (term.StartsWith("tag:", StringComparison.Ordinal))
        {
            var tag = term[4..];
            var tagged = steps.Where(s => s.Tags.Contains(tag)).Select(s => s.Id).ToList();
            if (tagged.Count == 0)
                throw Unknown(option, term, $"no step has tag '{tag}'", steps.SelectMany(s => s.Tags).Distinct().Select(t => "tag:" + t).ToList());
            return tagged;
        }
        if (term.Contains('.')) return [ResolveStep(term, option)];
        var inLayer = steps.Where(s => s.Id.Layer == term).Select(s => s.Id).ToList();
        if (inLayer.Count == 0)
            throw Unknown(option, term, $"no layer or step '{term}'",
                steps.Select(s => s.Id.Layer).Distinct().Concat(steps.Select(s => s.Id.ToString())).ToList());
        return inLayer;
    }

    /// <summary>
    /// <c>state:modified</c> (SQL, config or a seed differ from the state's manifest) and
    /// <c>state:new</c> (not in it). Matching nothing is fine here: a CI run of an unchanged
    /// project selects nothing, which the caller reports.
    /// </summary>
    private IEnumerable<StepId> MatchState(string term, string option)
    {
        if (state is null)
            throw new PipelineException(ErrorKind.Usage, null, $"{option} {term}: state selectors need --state DIR",
                "pass the folder of a production run's manifest.json, e.g. --state prod_state");
        return term[StateSets.Prefix.Length..] switch
        {
            "modified" => state.Modified,
            "new" => state.New,
            var other => throw Unknown(option, term, $"no state selector '{other}'", ["state:modified", "state:new"]),
        };
    }

    private StepId ResolveStep(string text, string option)
    {
        if (StepId.TryParse(text, out var id) && dag.Contains(id)) return id;
        throw Unknown(option, text, $"no step '{text}'", steps.Select(s => s.Id.ToString()).ToList());
    }

    private static PipelineException Unknown(string option, string term, string message, IReadOnlyCollection<string> candidates) =>
        new(ErrorKind.Usage, null, $"{option} {term}: {message}", Suggest.Hint(term, candidates, "names"));
}
