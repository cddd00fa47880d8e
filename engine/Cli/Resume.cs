using Lacrei.Engine.Config;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Cli;

/// <summary>
/// <c>--resume</c> (SPEC §5): repeat the last run's selection, vars, as-of and flags for the
/// steps that did not succeed and their descendants. Options given now override the stored ones.
/// </summary>
internal static class Resume
{
    public static async Task<(RunRequest Request, IReadOnlyCollection<StepId> Steps)?> FindAsync(CommandContext context, RunRequest now, CancellationToken ct)
    {
        var project = context.LoadProject();
        await using var dataSource = await Connections.OpenAsync(context.Connection(), ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await new RunLogReader(project.MetaSchema).ExistsAsync(connection, ct))
        {
            await context.Out.WriteLineAsync("nothing to resume: no run has been recorded yet");
            return null;
        }
        var previous = await new RunLog(project.MetaSchema).LastRunAsync(connection, ct);
        if (previous is null || previous.NotSucceeded.Count == 0)
        {
            await context.Out.WriteLineAsync(previous is null ? "nothing to resume: no finished run" : $"nothing to resume: run {previous.RunId} {previous.Status.Text()}");
            return null;
        }
        var stored = previous.Request;
        var request = stored with
        {
            Vars = now.Vars.IsEmpty ? stored.StoredVars : now.Vars,
            Target = now.Target ?? stored.Target,
            AsOf = now.AsOf ?? stored.AsOf,
            FullRefresh = now.FullRefresh || stored.FullRefresh,
            Atomic = now.Atomic || stored.Atomic,
            StoreFailures = now.StoreFailures || stored.StoreFailures,
            KeepFailed = now.KeepFailed || stored.KeepFailed,
            Threads = now.Threads,
            Wait = now.Wait,
            Resume = true,
            Trigger = now.Trigger,
        };
        if (now.Vars.IsEmpty && stored.StoredVars.Length < stored.Vars.Length)
            context.Log.Warning("The secret vars of run {RunId} were not stored: pass them again with --var if pipeline.yaml's values will not do",
                previous.RunId);
        context.Log.Information("Resuming run {RunId}: {Steps} steps did not succeed", previous.RunId, previous.NotSucceeded.Count);
        return (request, previous.NotSucceeded);
    }
}
