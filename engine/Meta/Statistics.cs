using System.Globalization;
using Lacrei.Engine.Config;

namespace Lacrei.Engine.Meta;

/// <summary>
/// Fresh planner statistics after bulk writes (0015_bulk_writes.sql): lp_materialize analyzes
/// a table in the step's transaction when the step created it or wrote at least
/// <c>analyze_after</c> of its rows, so the steps that read it next (and the next incremental
/// run) are not planned on a table the planner still thinks is empty or a tenth of its size.
/// </summary>
public static class Statistics
{
    /// <summary>The setting lp_analyze reads the share from; unset, it uses <see cref="PipelineConfig.DefaultAnalyzeAfter"/>.</summary>
    public const string AnalyzeAfterSetting = "lacrei_pipeline.analyze_after";

    /// <summary>The statement that passes pipeline.yaml's share to the step's transaction; empty when pipeline.yaml leaves the default.</summary>
    public static string SetAnalyzeAfter(PipelineConfig config) => config.AnalyzeAfter is { } share
        ? $"SET LOCAL {AnalyzeAfterSetting} = {SqlText.Literal(share.ToString("0.######", CultureInfo.InvariantCulture))};\n"
        : "";
}
