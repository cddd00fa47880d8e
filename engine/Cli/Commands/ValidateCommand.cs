using System.CommandLine;

namespace Lacrei.Engine.Cli.Commands;

/// <summary><c>engine validate</c>: load, resolve and render everything; no database.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("validate", "Check pipeline.yaml (every key: docs/reference.md), every template and the DAG, without a database");
        app.SetAction(command, async (context, _) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject());
            var config = workspace.Project.Config;
            await context.Out.WriteLineAsync(
                $"{Path.GetFileName(config.FilePath)} is valid: {config.Layers.Length} layers, {workspace.Steps.Count} steps, " +
                $"{workspace.Dag.Edges.Length} dependencies, {workspace.Seeds.Length} seeds");
            return 0;
        });
        return command;
    }
}
