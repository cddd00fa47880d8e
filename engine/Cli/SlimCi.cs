using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;
using Lacrei.Engine.State;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Cli;

/// <summary>
/// <c>--state DIR</c> and <c>--defer</c> for the commands that select steps (docs/ci.md): the
/// project compared with a state's manifest, the selection with <c>state:</c> terms, and the
/// workspace rendered again so that <c>ref</c> of an unselected step reads the state's target.
/// </summary>
internal sealed record SlimCi(StateDiff? Diff, Workspace Workspace, IReadOnlyList<StepId> Selected, string? StateDir)
{
    public static SlimCi Select(CommandContext context, Workspace workspace, Selector.Selection selection, string? stateDir, bool defer)
    {
        if (defer && stateDir is null)
            throw new PipelineException(ErrorKind.Usage, null, "--defer needs --state DIR", "pass the folder of a production run's manifest.json, e.g. --state prod_state");
        StateDiff? diff = null;
        if (stateDir is not null)
        {
            var state = ManifestFile.Read(Path.GetFullPath(stateDir, context.Environment.CurrentDirectory), stateDir);
            diff = StateDiff.Compare(state, ManifestBuilder.Build(workspace, null, null, DateTimeOffset.UtcNow));
        }
        var selected = workspace.SelectorWith(diff?.Sets).Select(selection);
        if (defer) workspace = Workspace.Build(workspace.Project, workspace.Run, DeferralFor(diff!.State, workspace, selected));
        return new SlimCi(diff, workspace, selected, stateDir);
    }

    /// <summary>Every step not selected, read from the schemas the state's target had.</summary>
    public static Deferral DeferralFor(Manifest state, Workspace workspace, IEnumerable<StepId> built)
    {
        var schemas = new Dictionary<string, Identifier>();
        foreach (var (key, name) in state.Target.Schemas)
        {
            if (!Identifier.TryParse(name, out var schema))
                throw new PipelineException(ErrorKind.Usage, null, $"the state's schema '{key}' is not a valid SQL name: '{name}'", Identifier.Rule);
            schemas[key] = schema;
        }
        var inRun = built.ToHashSet();
        return new Deferral(workspace.Steps.Keys.Where(id => !inRun.Contains(id)).ToHashSet(), schemas);
    }
}
