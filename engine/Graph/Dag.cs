using System.Collections.Immutable;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Graph;

/// <summary>An edge: <paramref name="Step"/> reads from <paramref name="Upstream"/>, written at <paramref name="Span"/>.</summary>
public sealed record Edge(StepId Upstream, StepId Step, SourceSpan Span);

/// <summary>
/// The steps and their dependencies. Order is stable: among steps that are ready at the same
/// time, the one declared first in pipeline.yaml comes first, so plans and renders never
/// reshuffle between runs. A cycle is an error that prints its path.
/// </summary>
public sealed class Dag
{
    private readonly Dictionary<StepId, List<StepId>> _upstream = [];
    private readonly Dictionary<StepId, List<StepId>> _downstream = [];

    public Dag(IEnumerable<StepId> steps, IEnumerable<Edge> edges)
    {
        var declared = steps.ToList();
        foreach (var step in declared) { _upstream[step] = []; _downstream[step] = []; }
        var edgeList = edges.Distinct().ToList();
        foreach (var edge in edgeList)
        {
            if (_upstream[edge.Step].Contains(edge.Upstream)) continue;
            _upstream[edge.Step].Add(edge.Upstream);
            _downstream[edge.Upstream].Add(edge.Step);
        }
        Order = TopologicalOrder(declared, edgeList);
        Edges = edgeList.DistinctBy(e => (e.Upstream, e.Step)).ToImmutableArray();
    }

    /// <summary>Every step, dependencies first.</summary>
    public ImmutableArray<StepId> Order { get; }

    public ImmutableArray<Edge> Edges { get; }

    public IReadOnlyList<StepId> UpstreamOf(StepId step) => _upstream[step];

    public IReadOnlyList<StepId> DownstreamOf(StepId step) => _downstream[step];

    public bool Contains(StepId step) => _upstream.ContainsKey(step);

    public ISet<StepId> Ancestors(StepId step) => Walk(step, _upstream);

    public ISet<StepId> Descendants(StepId step) => Walk(step, _downstream);

    private static HashSet<StepId> Walk(StepId start, Dictionary<StepId, List<StepId>> next)
    {
        var seen = new HashSet<StepId>();
        var stack = new Stack<StepId>(next[start]);
        while (stack.Count > 0)
        {
            var step = stack.Pop();
            if (!seen.Add(step)) continue;
            foreach (var n in next[step]) stack.Push(n);
        }
        return seen;
    }

    /// <summary>Each step's place in pipeline.yaml.</summary>
    private Dictionary<StepId, int> _position = [];

    private ImmutableArray<StepId> TopologicalOrder(List<StepId> declared, List<Edge> edges)
    {
        var position = _position = declared.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var waiting = declared.ToDictionary(s => s, s => _upstream[s].Count);
        var ready = new PriorityQueue<StepId, int>();
        foreach (var step in declared.Where(s => waiting[s] == 0)) ready.Enqueue(step, position[step]);
        var order = ImmutableArray.CreateBuilder<StepId>(declared.Count);
        while (ready.TryDequeue(out var step, out _))
        {
            order.Add(step);
            foreach (var next in _downstream[step])
                if (--waiting[next] == 0) ready.Enqueue(next, position[next]);
        }
        if (order.Count < declared.Count) throw CycleError(declared.Where(s => waiting[s] > 0).ToList(), edges);
        return order.ToImmutable();
    }

    /// <summary>Finds one cycle among the steps left over and reports it as a path, at the reference that closes it.</summary>
    private PipelineException CycleError(List<StepId> remaining, List<Edge> edges)
    {
        var inCycle = remaining.ToHashSet();
        var path = new List<StepId>();
        var onPath = new Dictionary<StepId, int>();
        var step = remaining[0];
        while (!onPath.ContainsKey(step))
        {
            onPath[step] = path.Count;
            path.Add(step);
            step = _upstream[step].First(inCycle.Contains);
        }
        // path walks upstream; reverse it to read in the direction data flows, and start it at the
        // step declared first so the same cycle always prints the same way.
        var loop = path.Skip(onPath[step]).Reverse().ToList();
        var first = loop.IndexOf(loop.MinBy(s => _position[s]));
        var cycle = loop.Skip(first).Concat(loop.Take(first)).ToList();
        cycle.Add(cycle[0]);
        var closing = edges.FirstOrDefault(e => e.Upstream == cycle[^2] && e.Step == cycle[^1]);
        return new PipelineException(ErrorKind.Config, closing?.Span,
            $"dependency cycle: {string.Join(" → ", cycle)}",
            "a step cannot depend, directly or through others, on itself; remove one of these references");
    }
}
