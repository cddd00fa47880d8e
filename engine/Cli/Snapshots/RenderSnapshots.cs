using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli.Snapshots;

/// <summary><c>engine render --check</c> and <c>--approve</c>: the rendered SQL against the approved files in <c>snapshots/</c>.</summary>
internal sealed class RenderSnapshots(CommandContext context)
{
    public async Task<int> RunAsync(Selector.Selection selection, bool approve, bool check, bool fullRefresh, CancellationToken ct)
    {
        if (approve && check)
            throw new PipelineException(ErrorKind.Usage, null, "render --check and --approve do not go together",
                "--check compares with the approved files, --approve writes them: review with --check, then --approve");
        if (fullRefresh)
            throw new PipelineException(ErrorKind.Usage, null, "render --full-refresh has no snapshots",
                "snapshots hold what a normal run sends; drop --full-refresh");

        var project = context.LoadProject();
        var dir = SnapshotFiles.Dir(project.Config);
        // Pinned so the files read the same every day: --as-of re-pins, else the date they were approved with.
        var asOf = CommandContext.ParseAsOf(context.Parse.GetValue(GlobalOptions.AsOf)) ?? SnapshotFiles.ApprovedAsOf(dir);
        var workspace = context.BuildWorkspace(project, asOf?.ToString("yyyy-MM-dd"), runId: SnapshotFiles.RunId);
        var whole = selection is { Only: null, Exclude: null, From: null };
        var selected = workspace.Selector.Select(selection);
        var rendered = SnapshotFiles.Of(workspace, selected, whole);
        var review = new SnapshotReview(dir, rendered, judgeOrphans: whole);
        var differences = review.Differences();

        if (approve)
        {
            review.Approve(differences);
            foreach (var difference in differences)
                await context.Out.WriteLineAsync($"{Verb(difference.Change)} {review.Display(difference.Path)}");
            await context.Out.WriteLineAsync($"{rendered.Count} files approved in {DisplayPath.Of(dir)} ({differences.Count} written or removed)");
            return ExitCodes.Success;
        }

        foreach (var difference in differences)
        {
            ct.ThrowIfCancellationRequested();
            if (difference.Change == SnapshotChange.Orphan)
                await context.Out.WriteLineAsync($"orphan: {review.Display(difference.Path)} (nothing renders it any more)");
            else await context.Out.WriteAsync(difference.Diff);
        }
        if (differences.Count == 0)
        {
            await context.Out.WriteLineAsync($"{rendered.Count} files match the approved snapshots in {DisplayPath.Of(dir)}");
            return ExitCodes.Success;
        }
        await context.Out.WriteLineAsync($"{differences.Count} of {rendered.Count + differences.Count(d => d.Change == SnapshotChange.Orphan)} files differ from the approved snapshots " +
            $"({Count(differences, SnapshotChange.Changed)} changed, {Count(differences, SnapshotChange.New)} new, {Count(differences, SnapshotChange.Orphan)} orphaned)");
        await context.Out.WriteLineAsync("  review the diff, then approve it: engine render --approve" + (whole ? "" : " with the same selection"));
        return ExitCodes.StepFailed;
    }

    private static int Count(IEnumerable<SnapshotDifference> differences, SnapshotChange change) => differences.Count(d => d.Change == change);

    private static string Verb(SnapshotChange change) => change switch
    {
        SnapshotChange.New => "new:    ",
        SnapshotChange.Changed => "changed:",
        _ => "removed:",
    };
}
