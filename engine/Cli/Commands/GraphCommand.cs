using System.CommandLine;
using System.Text;
using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli.Commands;

/// <summary><c>engine graph --format text|mermaid|dot</c>: the DAG, layers as groups.</summary>
internal static class GraphCommand
{
    public static Command Create(CliApp app)
    {
        var format = new Option<string>("--format") { Description = "text, mermaid or dot", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "mermaid", "dot");
        var command = new Command("graph", "Print the DAG of steps") { format };
        app.SetAction(command, async (context, _) =>
        {
            var workspace = context.BuildWorkspace(context.LoadProject());
            var text = context.Parse.GetValue(GlobalOptions.Json) ? Json(workspace.Dag) : context.Parse.GetValue(format) switch
            {
                "mermaid" => Mermaid(workspace.Dag, workspace.Project.Config),
                "dot" => Dot(workspace.Dag, workspace.Project.Config),
                _ => Text(workspace.Dag),
            };
            await context.Out.WriteAsync(text);
            return 0;
        }, printsJson: true);
        return command;
    }

    /// <summary><c>--json</c>: the nodes in run order (seeds and steps) and the edges, upstream to downstream.</summary>
    public static string Json(Dag dag) => new System.Text.Json.Nodes.JsonObject
    {
        ["nodes"] = new System.Text.Json.Nodes.JsonArray([.. dag.Order.Select(id => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["node"] = id.ToString(), ["layer"] = id.Layer, ["kind"] = id.IsSeed ? "seed" : "step",
        })]),
        ["edges"] = new System.Text.Json.Nodes.JsonArray([.. dag.Edges.Select(e => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["from"] = e.Upstream.ToString(), ["to"] = e.Step.ToString(),
        })]),
    }.ToJsonString(Server.ApiEndpoints.Indented) + "\n";

    public static string Text(Dag dag)
    {
        var text = new StringBuilder();
        foreach (var step in dag.Order)
        {
            var upstream = dag.UpstreamOf(step);
            text.Append(step).Append(upstream.Count == 0 ? "\n" : $" ← {string.Join(", ", upstream)}\n");
        }
        return text.ToString();
    }

    public static string Mermaid(Dag dag, Config.PipelineConfig config)
    {
        var text = new StringBuilder("flowchart LR\n");
        if (Seeds(dag) is { Count: > 0 } seeds)
        {
            text.Append($"  subgraph {StepId.SeedsLayer}\n");
            foreach (var seed in seeds) text.Append($"    {NodeId(seed)}[(\"{seed}\")]\n");
            text.Append("  end\n");
        }
        foreach (var layer in config.Layers)
        {
            text.Append($"  subgraph {layer.Name}\n");
            foreach (var step in layer.Steps) text.Append($"    {NodeId(step.Id)}[\"{step.Id}\"]\n");
            text.Append("  end\n");
        }
        foreach (var edge in dag.Edges) text.Append($"  {NodeId(edge.Upstream)} --> {NodeId(edge.Step)}\n");
        return text.ToString();
    }

    public static string Dot(Dag dag, Config.PipelineConfig config)
    {
        var text = new StringBuilder("digraph pipeline {\n  rankdir=LR;\n  node [shape=box];\n");
        if (Seeds(dag) is { Count: > 0 } seeds)
        {
            text.Append($"  subgraph \"cluster_{StepId.SeedsLayer}\" {{\n    label=\"{StepId.SeedsLayer}\";\n");
            foreach (var seed in seeds) text.Append($"    \"{seed}\" [shape=cylinder];\n");
            text.Append("  }\n");
        }
        foreach (var layer in config.Layers)
        {
            text.Append($"  subgraph \"cluster_{layer.Name}\" {{\n    label=\"{layer.Name}\";\n");
            foreach (var step in layer.Steps) text.Append($"    \"{step.Id}\";\n");
            text.Append("  }\n");
        }
        foreach (var edge in dag.Edges) text.Append($"  \"{edge.Upstream}\" -> \"{edge.Step}\";\n");
        return text.Append("}\n").ToString();
    }

    private static List<StepId> Seeds(Dag dag) => dag.Order.Where(id => id.IsSeed).ToList();

    private static string NodeId(Config.StepId id) => $"{id.Layer}__{id.Name}".Replace('-', '_');
}
