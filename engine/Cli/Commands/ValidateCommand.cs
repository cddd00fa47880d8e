using System.CommandLine;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine validate</c>: load, resolve and render everything; no database. Warns (on stderr,
/// exit 0) about extracted columns that no later step reads (SPEC §9.2).
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("validate", "Check pipeline.yaml, every template and the DAG, without a database");
        app.SetAction(command, async (context, _) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject());
            var config = workspace.Project.Config;
            // Warnings do not fail validation: an unused column is a privacy smell, not a broken pipeline.
            foreach (var warning in Graph.UnusedExtractColumns.Find(workspace))
                await context.Error.WriteLineAsync(Diagnostics.ErrorFormatter.Format(warning.Span, warning.Message, warning.Hint, level: "warning"));
            await context.Out.WriteLineAsync(
                $"{Path.GetFileName(config.FilePath)} is valid: {config.Layers.Length} layers, {workspace.Steps.Count} steps, " +
                $"{workspace.Dag.Edges.Length} dependencies, {workspace.Seeds.Length} seeds");
            return 0;
        });
        return command;
    }
}
