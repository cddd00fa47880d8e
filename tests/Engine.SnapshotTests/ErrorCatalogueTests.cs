using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Tests;

/// <summary>
/// The bad-input error catalogue: broken pipelines, each written into a temporary folder, and the
/// full text a user sees (<see cref="ErrorFormatter"/>), approved. Paths read <c>&lt;project&gt;/…</c>.
/// </summary>
public sealed class ErrorCatalogueTests
{
    private sealed record Case(string Yaml, (string Path, string Text)[] Files, string[]? Vars = null, string? Target = null);

    private const string Select = "SELECT 1 AS id";

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["01-unknown-step-key"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: orders
                    sql: orders.sql
                  - name: revenue
                    sql: revenue.sql
                    depend_on: [mart.orders]
            """, [("orders.sql", Select), ("revenue.sql", Select)]),

        ["02-unknown-top-level-key"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layer:
              - name: mart
                steps: []
            """, []),

        ["03-layers-as-a-mapping"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              mart:
                steps: []
            """, []),

        ["04-delete-missing-not-a-boolean"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: customers
                    sql: customers.sql
                    materialize: upsert
                    key: [customer_id]
                    delete_missing: maybe
            """, [("customers.sql", "SELECT 1 AS customer_id")]),

        ["05-missing-sql-file"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: patients
                    sql: mart/patient.sql
            """, [("mart/patients.sql", Select)]),

        ["06-duplicate-step-name"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
                  - name: revenue
                    sql: revenue.sql
            """, [("revenue.sql", Select)]),

        ["07-duplicate-yaml-key"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
                    sql: revenue_v2.sql
            """, [("revenue.sql", Select)]),

        ["08-tab-indentation"] = new(
            "name: shop\nschemas:\n  mart: shop_mart\nlayers:\n  - name: mart\n    steps:\n\t  - name: revenue\n\t    sql: revenue.sql\n",
            [("revenue.sql", Select)]),

        ["09-empty-file"] = new("", []),

        ["10-depends-on-a-later-layer"] = new("""
            name: shop
            schemas:
              model: shop_model
              mart: shop_mart
            layers:
              - name: model
                steps:
                  - name: orders
                    sql: orders.sql
                    depends_on: [mart.revenue]
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
            """, [("orders.sql", Select), ("revenue.sql", Select)]),

        ["11-unknown-materialization"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
                    materialize: replce
            """, [("revenue.sql", Select)]),

        ["12-upsert-without-key"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: customers
                    sql: customers.sql
                    materialize: upsert
            """, [("customers.sql", "SELECT 1 AS customer_id")]),

        ["13-every-problem-at-once"] = new("""
            name: shop
            schemas:
              model: shop_model
              mart: shop_mart
            layers:
              - name: model
                steps:
                  - name: orders
                    sql: orders.sql
                    materialise: replace
                    depends_on: [mart.customers]
              - name: mart
                steps:
                  - name: revenue
                    sql: revenu.sql
                  - name: customers
                    sql: customers.sql
                    materialize: upsert
                    key: { customer_id: 1 }
            """, [("orders.sql", Select), ("revenue.sql", Select), ("customers.sql", Select)]),

        ["14-template-unknown-schema"] = new("""
            name: shop
            schemas:
              model: shop_model
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: patients
                    sql: mart/patients.sql
            """, [("mart/patients.sql", "-- Grain: one row per month.\nSELECT\n    p.period_month,\n    count(*) AS total_patients\nFROM {{ schemas.marts }}.patients AS p\nGROUP BY p.period_month\n")]),

        ["15-template-undefined-variable"] = new("""
            name: shop
            vars:
              timezone: America/Sao_Paulo
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: daily
                    sql: daily.sql
            """, [("daily.sql", "SELECT\n    (o.ordered_at AT TIME ZONE '{{ timezone }}')::date AS day\nFROM orders AS o\n")]),

        ["16-template-unknown-ref"] = new("""
            name: shop
            schemas:
              staging: shop_staging
              mart: shop_mart
            layers:
              - name: staging
                steps:
                  - name: orders
                    sql: orders.sql
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
            """, [("orders.sql", Select), ("revenue.sql", "SELECT count(*) AS orders\nFROM {{ ref \"staging.order\" }}\n")]),

        ["17-template-syntax-error"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
            """, [("revenue.sql", "SELECT count(*) AS orders\n{{ if }}\nFROM orders\n")]),

        ["18-template-ref-to-a-later-layer"] = new("""
            name: shop
            schemas:
              staging: shop_staging
              mart: shop_mart
            layers:
              - name: staging
                steps:
                  - name: orders
                    sql: orders.sql
              - name: mart
                steps:
                  - name: revenue
                    sql: revenue.sql
            """, [("orders.sql", "SELECT r.id\nFROM {{ ref \"mart.revenue\" }} AS r\n"), ("revenue.sql", Select)]),

        ["19-dependency-cycle"] = new("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: summary
                    sql: summary.sql
                  - name: customers
                    sql: customers.sql
                  - name: revenue
                    sql: revenue.sql
            """, [
                ("summary.sql", "SELECT * FROM {{ ref \"mart.revenue\" }}\n"),
                ("customers.sql", "SELECT r.customer_id\nFROM {{ ref \"mart.revenue\" }} AS r\n"),
                ("revenue.sql", "SELECT c.customer_id\nFROM {{ ref \"mart.customers\" }} AS c\n"),
            ]),

        ["20-var-injection"] = new("""
            name: shop
            vars:
              timezone: America/Sao_Paulo
            schemas:
              mart: shop_mart
            layers: []
            """, [], Vars: ["schemas.mart=x\"; DROP TABLE t; --", "timezone=UTC'; DROP TABLE t; --", "timezon=UTC"]),

        ["21-min-cell-size-below-the-floor-in-yaml"] = new("""
            name: insights
            vars:
              timezone: America/Sao_Paulo
              min_cell_size: 3
            schemas:
              mart: insights_mart
            layers: []
            """, []),

        ["22-min-cell-size-below-the-floor-from-the-command-line"] = new("""
            name: insights
            vars:
              min_cell_size: 5
            schemas:
              mart: insights_mart
            targets:
              ci: { schema_suffix: _ci }
            layers: []
            """, [], Vars: ["min_cell_size=1"], Target: "ci"),

        ["23-snapshot-with-two-strategies"] = new("""
            name: insights
            schemas:
              model: insights_model
            layers:
              - name: model
                steps:
                  - name: professional_history
                    sql: history.sql
                    materialize: snapshot
                    key: [professional_id]
                    check_cols: [specialty, state]
                    updated_at: updated_at
            """, [("history.sql", "SELECT 1 AS professional_id, 'a' AS specialty, 'SP' AS state, now() AS updated_at")]),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Error_output_matches_the_approved_file(string name)
    {
        var @case = Cases[name];
        var dir = Path.Combine(Path.GetTempPath(), "lacrei-errors-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            Write(dir, "pipeline.yaml", @case.Yaml);
            foreach (var (path, content) in @case.Files) Write(dir, path, content);

            var error = Assert.Throws<PipelineException>(() => Workspace.Build(
                Project.Resolve(PipelineLoader.Load(Path.Combine(dir, "pipeline.yaml")), new ProjectOptions(@case.Target, [.. @case.Vars ?? []])),
                Pipelines.Run));

            var text = ErrorFormatter.Format(error) + "\n";
            var stable = text.Replace(DisplayPath.Of(dir) + Path.DirectorySeparatorChar, "<project>/").Replace(DisplayPath.Of(dir), "<project>");
            Approval.Verify("errors", name, stable, "txt");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Every_approved_error_file_belongs_to_a_case()
    {
        var stale = Approval.Files("errors", "txt").Where(f => !Cases.ContainsKey(f)).ToList();

        Assert.True(stale.Count == 0, "approved files of nothing (delete them): " + string.Join(", ", stale));
    }

    [Fact]
    public void No_approved_error_is_an_internal_error()
    {
        // Issue 20: whatever a user typed, the answer is a message about it, never "internal error".
        var internalErrors = Approval.Files("errors", "txt")
            .Where(f => File.ReadAllText(Path.Combine(Approval.Root, "errors", f + ".approved.txt")).Contains("internal error", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.True(internalErrors.Count == 0, "internal errors in: " + string.Join(", ", internalErrors));
        Assert.Equal(Cases.Count, Approval.Files("errors", "txt").Count);
    }

    private static void Write(string dir, string relative, string text)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
