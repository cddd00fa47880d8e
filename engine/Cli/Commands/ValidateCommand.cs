using System.CommandLine;
using System.Text.Json.Nodes;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Server;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine validate</c>: load, resolve and render everything; no database. Warns (on stderr,
/// exit 0) about extracted columns that no later step reads (SPEC §9.2).
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("validate", "Check pipeline.yaml (every key: docs/reference.md), every template and the DAG, without a database");
        app.SetAction(command, async (context, _) =>
        {
            var asJson = context.Parse.GetValue(GlobalOptions.Json);
            Graph.Workspace workspace;
            try
            {
                workspace = context.BuildWorkspace(context.LoadProject());
            }
            catch (PipelineException e) when (asJson)
            {
                // A CI check or an editor reads every problem with its place; the text stays on stderr.
                await context.Out.WriteLineAsync(new JsonObject
                {
                    ["valid"] = false,
                    ["problems"] = new JsonArray([.. e.Diagnostics.Select(d => (JsonNode)new JsonObject
                    {
                        ["file"] = d.Span?.File, ["line"] = d.Span?.Line, ["column"] = d.Span?.Column,
                        ["message"] = d.Message, ["hint"] = d.Hint,
                    })]),
                }.ToJsonString(ApiEndpoints.Indented));
                throw;
            }
            var config = workspace.Project.Config;
            // Warnings do not fail validation: an unused column is a privacy smell, not a broken pipeline.
            foreach (var warning in Graph.UnusedExtractColumns.Find(workspace))
                await context.Error.WriteLineAsync(Diagnostics.ErrorFormatter.Format(warning.Span, warning.Message, warning.Hint, level: "warning"));
            if (asJson)
                await context.Out.WriteLineAsync(new JsonObject
                {
                    ["valid"] = true, ["pipeline"] = config.Name, ["layers"] = config.Layers.Length, ["steps"] = workspace.Steps.Count,
                    ["dependencies"] = workspace.Dag.Edges.Length, ["seeds"] = workspace.Seeds.Length,
                }.ToJsonString(ApiEndpoints.Indented));
            else
                await context.Out.WriteLineAsync(
                    $"{Path.GetFileName(config.FilePath)} is valid: {config.Layers.Length} layers, {workspace.Steps.Count} steps, " +
                    $"{workspace.Dag.Edges.Length} dependencies, {workspace.Seeds.Length} seeds");
            return 0;
        }, printsJson: true);
        return command;
    }
}
