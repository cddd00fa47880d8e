using System.Collections.Immutable;
using System.Globalization;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Config;

/// <summary>
/// <c>vars.min_cell_size</c> (k), the smallest group of people a mart publishes, and its floor.
/// SPEC §9.6: below 5 is a configuration error, from pipeline.yaml or <c>--var</c>, unless the
/// chosen target sets <c>allow_small_cells: true</c> (test fixtures). The <c>min_cell_size</c> data
/// test checks against the floor too, so the variable it guards cannot also switch it off.
/// </summary>
public static class MinCellSize
{
    public const string Var = "min_cell_size";

    /// <summary>The smallest k a pipeline may publish with, outside targets that allow small cells.</summary>
    public const long Floor = 5;

    private const string Hint =
        "only a target in pipeline.yaml with allow_small_cells: true (test fixtures) may go below 5; see docs/privacy.md";

    /// <summary>
    /// The smallest group a <c>min_cell_size</c> data test lets through: the test's own
    /// <c>threshold:</c> (written in pipeline.yaml), else max(5, k) — k alone only on a target
    /// that allows small cells.
    /// </summary>
    public static long TestThreshold(Project project, long? threshold)
    {
        if (threshold is { } written) return written;
        var k = long.TryParse(project.Vars.GetValueOrDefault(Var), out var value) ? value : Floor;
        return project.AllowsSmallCells ? k : Math.Max(Floor, k);
    }

    /// <summary>
    /// Reports k when it is not a whole number ≥ 1, or below the floor on a target that does not
    /// allow small cells, at the place its final value comes from.
    /// </summary>
    internal static void Check(PipelineConfig config, TargetConfig? target, ImmutableDictionary<string, string> vars,
        bool fromCommandLine, DiagnosticBag diagnostics)
    {
        if (!vars.TryGetValue(Var, out var text)) return;
        // "--var min_cell_size=1 is …" or "vars.min_cell_size is 3, …", at the line that sets it.
        var (subject, span, kind) = fromCommandLine ? ($"--var {Var}={text} is", (SourceSpan?)null, ErrorKind.Usage)
            : target is not null && target.Vars.ContainsKey(Var) ? ($"targets.{target.Name}.vars.{Var} is {text},", target.VarSpans.GetValueOrDefault(Var), ErrorKind.Config)
            : ($"vars.{Var} is {text},", config.VarSpans.GetValueOrDefault(Var), ErrorKind.Config);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1)
            diagnostics.Add(span, $"{subject} not a whole number of 1 or more", "min_cell_size is the smallest group of people a mart publishes, e.g. 5", kind);
        else if (k < Floor && target?.AllowSmallCells != true)
            diagnostics.Add(span, $"{subject} below the floor of {Floor}: a published group that small can single out a person", Hint, kind);
    }
}
