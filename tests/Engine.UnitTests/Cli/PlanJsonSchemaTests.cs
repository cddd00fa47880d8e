using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Lacrei.Engine.Tests.Cli;

/// <summary><c>engine plan --json</c> keeps the shape docs/schemas/plan.schema.json promises.</summary>
public sealed class PlanJsonSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Repo.Path("docs", "schemas", "plan.schema.json")));

    private static EvaluationResults Validate(string json) =>
        Schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Errors(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    [Theory]
    [InlineData("tests/fixtures/shop/pipeline.yaml")]
    [InlineData("pipeline.yaml")]
    public async Task Plan_json_of_every_pipeline_is_valid_against_the_schema(string project)
    {
        var outcome = await EngineCli.RunAsync(["plan", "--json", "--project", Repo.Path(project.Split('/')), "--as-of", "2025-12-01"], NoDatabase.Environment);

        Assert.True(outcome.ExitCode == 0 && outcome.Error == "", outcome.ToString());
        var results = Validate(outcome.Out);
        Assert.True(results.IsValid, Errors(results));
        Assert.All(JsonNode.Parse(outcome.Out)!["steps"]!.AsArray(), step => Assert.Null(step!["would_skip"]?.GetValue<bool?>()));
    }

    [Fact]
    public async Task Plan_json_with_a_state_is_valid_against_the_schema()
    {
        var dir = Repo.CopyFixture(Repo.ShopFixture);
        try
        {
            var project = Path.Combine(dir, "pipeline.yaml");
            var written = await EngineCli.RunAsync(["plan", "--project", project, "--write-state", Path.Combine(dir, "prod_state")], NoDatabase.Environment);
            Assert.True(written.ExitCode == 0, written.ToString());
            File.AppendAllText(Path.Combine(dir, "model", "order_facts.sql"), "WHERE o.total > 0\n");

            var outcome = await EngineCli.RunAsync(["plan", "--json", "--project", project, "--state", Path.Combine(dir, "prod_state"),
                "--only", "state:modified+", "--defer"], NoDatabase.Environment);

            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            var results = Validate(outcome.Out);
            Assert.True(results.IsValid, Errors(results));
            var change = JsonNode.Parse(outcome.Out)!["state"]!["changes"]!.AsArray().Single()!;
            Assert.Equal("model.order_facts", (string)change["node"]!);
            Assert.Equal("unknown", (string)change["change"]!);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Output_that_leaves_out_a_promised_field_is_refused()
    {
        var outcome = await EngineCli.RunAsync(["plan", "--json", "--project", Repo.Path("tests", "fixtures", "shop", "pipeline.yaml")], NoDatabase.Environment);
        var json = JsonNode.Parse(outcome.Out)!;
        json["steps"]![0]!.AsObject().Remove("would_skip");
        json["steps"]![1]!["materialize"] = "table";

        var results = Validate(json.ToJsonString());

        Assert.False(results.IsValid);
        Assert.Contains("/steps/0", Errors(results));
        Assert.Contains("/steps/1/materialize", Errors(results));
    }
}
