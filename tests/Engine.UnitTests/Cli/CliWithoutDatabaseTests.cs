using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Cli;

/// <summary>SPEC §8: validate, plan, graph and render work without a database; their output is exact.</summary>
public sealed class CliWithoutDatabaseTests : IDisposable
{
    private readonly TempPipeline _pipeline = CliPipeline.Create();

    public void Dispose() => _pipeline.Dispose();

    private static void Succeeded(CliOutcome outcome, string expectedOut)
    {
        Assert.True(outcome.ExitCode == 0 && outcome.Error == "", outcome.ToString());
        Assert.Equal(expectedOut, outcome.Out);
    }

    /// <summary>Same lines first (so a failure of the exact text is about order only), then the exact text.</summary>
    private static void SucceededInOrder(CliOutcome outcome, string expectedOut)
    {
        Assert.True(outcome.ExitCode == 0 && outcome.Error == "", outcome.ToString());
        Assert.Equal(expectedOut.Split('\n').Order(StringComparer.Ordinal), outcome.Out.Split('\n').Order(StringComparer.Ordinal));
        Assert.Equal(expectedOut, outcome.Out);
    }

    [Fact]
    public async Task Validate_summarises_the_pipeline()
    {
        Succeeded(await CliPipeline.RunAsync(_pipeline, "validate"),
            "pipeline.yaml is valid: 2 layers, 5 steps, 6 dependencies, 0 seeds\n");
    }

    [Fact]
    public async Task Plan_lists_the_selected_steps_in_order_with_materialization_and_dependencies()
    {
        Succeeded(await CliPipeline.RunAsync(_pipeline, "plan", "--only", "mart"), """
              1. mart.revenue          replace by (day)         ← staging.orders
              2. mart.customer_totals  upsert by (customer_id)  ← staging.orders, staging.customers
              3. mart.dashboard        script                   ← mart.revenue, mart.customer_totals
            3 of 5 steps

            """);
    }

    [Fact]
    public async Task Graph_prints_text_by_default()
    {
        Succeeded(await CliPipeline.RunAsync(_pipeline, "graph"), """
            staging.customers
            staging.orders ← staging.customers
            mart.revenue ← staging.orders
            mart.customer_totals ← staging.orders, staging.customers
            mart.dashboard ← mart.revenue, mart.customer_totals

            """);
    }

    [Fact]
    public async Task Graph_prints_mermaid_with_layers_as_subgraphs_and_edges_in_declaration_order()
    {
        SucceededInOrder(await CliPipeline.RunAsync(_pipeline, "graph", "--format", "mermaid"), """
            flowchart LR
              subgraph staging
                staging__customers["staging.customers"]
                staging__orders["staging.orders"]
              end
              subgraph mart
                mart__revenue["mart.revenue"]
                mart__customer_totals["mart.customer_totals"]
                mart__dashboard["mart.dashboard"]
              end
              staging__customers --> staging__orders
              staging__orders --> mart__revenue
              staging__orders --> mart__customer_totals
              staging__customers --> mart__customer_totals
              mart__revenue --> mart__dashboard
              mart__customer_totals --> mart__dashboard

            """);
    }

    [Fact]
    public async Task Graph_prints_dot_with_layers_as_clusters_and_edges_in_declaration_order()
    {
        SucceededInOrder(await CliPipeline.RunAsync(_pipeline, "graph", "--format", "dot"), """
            digraph pipeline {
              rankdir=LR;
              node [shape=box];
              subgraph "cluster_staging" {
                label="staging";
                "staging.customers";
                "staging.orders";
              }
              subgraph "cluster_mart" {
                label="mart";
                "mart.revenue";
                "mart.customer_totals";
                "mart.dashboard";
              }
              "staging.customers" -> "staging.orders";
              "staging.orders" -> "mart.revenue";
              "staging.orders" -> "mart.customer_totals";
              "staging.customers" -> "mart.customer_totals";
              "mart.revenue" -> "mart.dashboard";
              "mart.customer_totals" -> "mart.dashboard";
            }

            """);
    }

    [Fact]
    public async Task Render_prints_the_sql_of_the_selection_and_writes_it_under_target_rendered()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "render", "--only", "mart.dashboard", "--as-of", "2025-12-01");

        Succeeded(outcome, """
            -- ==== mart.dashboard (script) ====
            CREATE OR REPLACE VIEW "shop_mart"."dashboard" AS
            SELECT * FROM "shop_mart"."revenue", "shop_mart"."customer_totals"


            """);
        Assert.Equal("CREATE OR REPLACE VIEW \"shop_mart\".\"dashboard\" AS\nSELECT * FROM \"shop_mart\".\"revenue\", \"shop_mart\".\"customer_totals\"\n",
            File.ReadAllText(Path.Combine(_pipeline.Dir, "target", "rendered", "mart", "dashboard.sql")));
    }

    [Fact]
    public async Task As_of_pins_run_as_of()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "render", "--only", "mart.revenue", "--as-of", "2024-02-29");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("SELECT DATE '2024-02-29' AS day", outcome.Out);
    }

    [Fact]
    public async Task Invalid_as_of_is_a_usage_error()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "plan", "--as-of", "2025-13-01");

        Assert.Equal((2, "", "error: --as-of '2025-13-01' is not a date\n  hint: write it as yyyy-MM-dd, e.g. --as-of 2025-12-01\n"),
            (outcome.ExitCode, outcome.Out, outcome.Error));
    }

    [Fact]
    public async Task Unknown_selection_is_a_usage_error_with_a_hint()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "plan", "--only", "mart.revenu");

        Assert.Equal((2, "", "error: --only mart.revenu: no step 'mart.revenu'\n  hint: did you mean 'mart.revenue'?\n"),
            (outcome.ExitCode, outcome.Out, outcome.Error));
    }

    [Fact]
    public async Task A_selection_matching_nothing_exits_2()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "render", "--only", "tag:daily", "--exclude", "staging");

        Assert.Equal((2, "", "error: the selection 'tag:daily; exclude staging' matches no step\n  hint: run 'engine plan' to see the steps, or check --exclude\n"),
            (outcome.ExitCode, outcome.Out, outcome.Error));
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "plan", "--onyl", "mart");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.Out);
        Assert.StartsWith("error: Unrecognized command or argument '--onyl'.\n", outcome.Error);
        Assert.EndsWith("  hint: run 'engine --help' or 'engine <command> --help'\n", outcome.Error);
    }

    [Fact]
    public async Task Unknown_graph_format_is_a_usage_error()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "graph", "--format", "svg");

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("error: Argument 'svg' not recognized. Must be one of:", outcome.Error);
    }

    [Fact]
    public async Task Var_injection_is_refused_before_anything_renders()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "render", "--var", "schemas.mart=x\"; DROP TABLE t; --");

        Assert.Equal((2, "", "error: --var schemas.mart: 'x\"; DROP TABLE t; --' is not a valid SQL name\n" +
                             "  hint: a SQL name is 1-63 letters, digits, '_' or '-', starting with a letter or '_'\n"),
            (outcome.ExitCode, outcome.Out, outcome.Error));
        Assert.False(Directory.Exists(Path.Combine(_pipeline.Dir, "target")));
    }

    [Fact]
    public async Task Unknown_target_is_a_usage_error()
    {
        var outcome = await CliPipeline.RunAsync(_pipeline, "validate", "--target", "prod");

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("error: unknown target 'prod'\n  hint: ", outcome.Error);
    }

    [Fact]
    public async Task Missing_project_file_is_a_usage_error()
    {
        var missing = Path.Combine(_pipeline.Dir, "nope", "pipeline.yaml");

        var outcome = await EngineCli.RunAsync(["validate", "--project", missing]);

        Assert.Equal((2, $"error: pipeline file not found: {missing}\n  hint: pass --project path/to/pipeline.yaml or run from a folder that contains one\n"),
            (outcome.ExitCode, outcome.Error));
    }
}
