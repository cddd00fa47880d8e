using System.Collections.Immutable;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>docs/authoring.md "Vars: lists and mappings": templates loop over lists and read mappings; --var sets text vars only.</summary>
public sealed class ListAndMapVarsTests
{
    private const string Yaml = """
        name: shop
        vars:
          timezone: UTC
          payment_methods: [credit_card, pix]
          thresholds: { low: 1, high: { value: 9 } }
        schemas:
          mart: shop_mart
        targets:
          ci: { vars: { payment_methods: boleto } }
        layers:
          - name: mart
            steps:
              - name: payments
                sql: payments.sql
                materialize: replace
        """;

    private static TempPipeline Create(string sql, string yaml = Yaml) => TempPipeline.Create(yaml, ("payments.sql", sql));

    private static string Render(TempPipeline pipeline, ProjectOptions? options = null) =>
        pipeline.Build(options).Steps[new StepId("mart", "payments")].Sql;

    [Fact]
    public void A_list_var_is_looped_over_and_a_mapping_var_is_read_by_member()
    {
        using var pipeline = Create("""
            SELECT {{ for m in vars.payment_methods }}'{{ m }}'{{ if !for.last }}, {{ end }}{{ end }} AS m,
                   {{ vars.thresholds.low }} AS low, {{ vars.thresholds.high.value }} AS high,
                   '{{ vars.payment_methods | array.join "|" }}' AS joined
            """);

        Assert.Contains("SELECT 'credit_card', 'pix' AS m,\n       1 AS low, 9 AS high,\n       'credit_card|pix' AS joined", Render(pipeline));
    }

    [Fact]
    public void An_unknown_member_of_a_mapping_var_names_the_nearest()
    {
        using var pipeline = Create("SELECT {{ vars.thresholds.lo }} AS x");

        Expect.Diagnostic(Expect.Single(pipeline.BuildErrors()), pipeline.Display("payments.sql"), 1, 27,
            "unknown variable 'vars.thresholds.lo'", "did you mean 'low'?");
    }

    [Fact]
    public void Var_on_the_command_line_refuses_a_list_var()
    {
        using var pipeline = Create("SELECT 1 AS x");

        var error = Expect.Single(Assert.Throws<PipelineException>(() => pipeline.Resolve(new ProjectOptions(VarOverrides: ["payment_methods=pix"]))).Diagnostics);
        Expect.Diagnostic(error, ErrorKind.Usage, "--var payment_methods: 'payment_methods' is a list in pipeline.yaml, and --var sets text vars only",
            "change the list in pipeline.yaml, or declare a text var for the value you want to pass");
    }

    [Fact]
    public void Var_on_the_command_line_still_overrides_a_text_var()
    {
        using var pipeline = Create("SELECT '{{ vars.timezone }}' AS tz");

        Assert.Contains("SELECT 'America/Sao_Paulo' AS tz", Render(pipeline, new ProjectOptions(VarOverrides: ["timezone=America/Sao_Paulo"])));
    }

    [Fact]
    public void A_target_may_not_turn_a_list_var_into_text()
    {
        using var pipeline = Create("SELECT 1 AS x");

        var error = Expect.Single(Assert.Throws<PipelineException>(() => pipeline.Resolve(new ProjectOptions(Target: "ci"))).Diagnostics);
        Expect.Diagnostic(error, pipeline.Display(), 9, 34,
            "targets.ci.vars.payment_methods: 'payment_methods' is a list under vars:, a target sets text vars only", "give the target's value a var of its own");
    }

    [Fact]
    public void A_var_without_a_value_is_still_an_error_at_its_place()
    {
        using var pipeline = Create("SELECT 1 AS x", Yaml.Replace("payment_methods: [credit_card, pix]", "payment_methods: [credit_card, ~]"));

        Expect.Diagnostic(Expect.Single(pipeline.LoadErrors()), pipeline.Display(), 4, 34,
            "'vars.payment_methods[1]' must be a text value, a list or a mapping, found nothing");
    }

    [Fact]
    public void Lists_and_mappings_load_as_written()
    {
        using var pipeline = Create("SELECT 1 AS x");

        var vars = pipeline.Load().StructuredVars;
        Assert.Equal([new TextVar("credit_card"), new TextVar("pix")], ((ListVar)vars["payment_methods"]).Items.ToArray());
        Assert.Equal("9", ((TextVar)((MapVar)((MapVar)vars["thresholds"]).Members["high"]).Members["value"]).Value);
    }
}
