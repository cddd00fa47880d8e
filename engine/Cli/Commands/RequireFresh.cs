using System.CommandLine;
using Lacrei.Engine.Extraction;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine run --require-fresh</c> (issue 23): before anything is written (no lock, no
/// migration, no run log), the freshness of the selected extract steps' sources; one past its
/// error_after stops the run with exit 1.
/// </summary>
internal static class RequireFresh
{
    public static Option<bool> Option() => new("--require-fresh")
    {
        Description = "Refuse to run when a selected extract's source is older than its freshness error_after",
    };

    /// <summary>True when the run may go on; otherwise the stale sources are reported.</summary>
    public static async Task<bool> CheckAsync(CommandContext context, Workspace workspace, IReadOnlyList<Config.StepId> selected, CancellationToken ct)
    {
        var results = await FreshnessCommand.CheckAsync(context, workspace, selected, ct);
        var stale = results.Where(r => r.Status == FreshnessStatus.Error).ToList();
        if (stale.Count == 0) return true;
        await FreshnessCommand.WriteTextAsync(context.Error, stale);
        await context.Error.WriteLineAsync($"error: --require-fresh: {stale.Count} selected source table(s) are past their error_after ({string.Join(", ", stale.Select(s => s.Step))}); nothing was run");
        await context.Error.WriteLineAsync("  hint: see 'engine freshness'; run without --require-fresh to load what the sources have");
        return false;
    }
}
