using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Templating;

/// <summary>SPEC §4: templates render in strict mode; every mistake is an error at its file, line and column.</summary>
public sealed class TemplateErrorTests
{
    private static (Diagnostic Error, string File) Fails(string revenueSql)
    {
        using var pipeline = TemplatePipeline.Create(revenueSql);
        return (Expect.Single(pipeline.BuildErrors()), pipeline.Display("mart/revenue.sql"));
    }

    [Fact]
    public void Undefined_variable_is_an_error_at_its_exact_column()
    {
        var (error, file) = Fails("""
            SELECT o.id
            FROM {{ ordres }} AS o
            """);

        Expect.Diagnostic(error, file, 2, 9, "unknown variable 'ordres'", "templates know: schemas, vars, run, ref, source, this");
        Assert.Equal("ordres".Length, error.Span!.Length);
    }

    [Fact]
    public void Unknown_schema_suggests_the_nearest_schema()
    {
        var (error, file) = Fails("""
            SELECT p.id
            FROM {{ schemas.marts }}.patients AS p
            """);

        Expect.Diagnostic(error, file, 2, 17, "unknown variable 'schemas.marts'", "did you mean 'mart'?");
    }

    [Fact]
    public void Unknown_run_member_suggests_the_nearest_member()
    {
        var (error, file) = Fails("SELECT DATE '{{ run.asof }}'");

        Expect.Diagnostic(error, file, 1, 21, "unknown variable 'run.asof'", "did you mean 'as_of'?");
    }

    [Fact]
    public void Unknown_var_suggests_the_nearest_var()
    {
        var (error, file) = Fails("SELECT '{{ vars.timezon }}'");

        Expect.Diagnostic(error, file, 1, 17, "unknown variable 'vars.timezon'", "did you mean 'timezone'?");
    }

    [Fact]
    public void Template_syntax_error_is_reported_at_the_token()
    {
        using var pipeline = TemplatePipeline.Create("""
            SELECT 1 AS id
            {{ if }}
            """);

        var errors = pipeline.BuildErrors();

        Expect.Diagnostic(errors[0], pipeline.Display("mart/revenue.sql"), 2, 7,
            "template syntax: Error while parsing if statement: Expecting <expression> instead of `}}` in: if <expression> ... end|else|else if",
            "Scriban syntax: {{ ref \"layer.step\" }}, {{ schemas.mart }}, {{ vars.name }}");
        Assert.All(errors, e => Assert.StartsWith("template syntax: ", e.Message));
    }

    [Fact]
    public void Unknown_ref_suggests_the_nearest_step()
    {
        var (error, file) = Fails("""
            SELECT p.id
            FROM {{ ref "mart.patient" }} AS p
            """);

        Expect.Diagnostic(error, file, 2, 9, "unknown step 'mart.patient' in ref", "did you mean 'mart.patients'?");
    }

    [Fact]
    public void Ref_without_its_step_is_an_error_after_the_call()
    {
        var (error, file) = Fails("""
            SELECT p.id
            FROM {{ ref }} AS p
            """);

        Assert.Equal((file, 2, 12), (error.Span?.File, error.Span?.Line, error.Span?.Column));
        Assert.StartsWith("Invalid number of arguments `0` passed to `ref` while expecting `1` arguments", error.Message);
    }

    [Fact]
    public void Ref_with_a_second_argument_is_an_error_at_that_argument()
    {
        var (error, file) = Fails("""
            SELECT p.id
            FROM {{ ref "mart.patients" "extra" }} AS p
            """);

        Assert.Equal((file, 2, 29), (error.Span?.File, error.Span?.Line, error.Span?.Column));
        Assert.StartsWith("Invalid number of arguments `2` passed to `ref \"mart.patients\" \"extra\"` while expecting `1` arguments", error.Message);
    }

    [Fact]
    public void Ref_of_a_number_reads_it_as_a_step_name()
    {
        var (error, file) = Fails("SELECT 1 FROM {{ ref 42 }}");

        Assert.Equal((file, 1, 18, "unknown step '42' in ref"), (error.Span?.File, error.Span?.Line, error.Span?.Column, error.Message));
    }

    [Fact]
    public void Ref_to_a_later_layer_is_an_error_at_the_ref()
    {
        using var pipeline = TemplatePipeline.Create("SELECT 1 AS id");
        pipeline.Write("staging/orders.sql", """
            SELECT r.id
            FROM {{ ref "mart.revenue" }} AS r
            """);

        var error = Expect.Single(pipeline.BuildErrors());

        Expect.Diagnostic(error, pipeline.Display("staging/orders.sql"), 2, 9, "step 'staging.orders' reads from 'mart.revenue' of a later layer",
            "a step may read only from its own or earlier layers; move 'orders' to layer 'mart' or later");
    }

    [Fact]
    public void Ref_to_itself_points_to_this()
    {
        var (error, file) = Fails("SELECT * FROM {{ ref \"mart.revenue\" }}");

        Expect.Diagnostic(error, file, 1, 18, "step 'mart.revenue' refers to itself", "use {{ this }} for the step's own table");
    }

    [Fact]
    public void There_is_no_built_in_date_now()
    {
        var (error, file) = Fails("SELECT * FROM t WHERE day = '{{ date.now }}'");

        Expect.Diagnostic(error, file, 1, 33, "unknown variable 'date'", "templates know: schemas, vars, run, ref, source, this");
    }

    [Fact]
    public void Unknown_source_suggests_the_nearest_source()
    {
        var (error, file) = Fails("SELECT * FROM {{ source \"ap\" \"lacreiid_user\" }}");

        Expect.Diagnostic(error, file, 1, 18, "unknown source 'ap'", "did you mean 'app'?");
    }

    [Fact]
    public void Source_table_must_be_a_valid_name()
    {
        var (error, file) = Fails("SELECT * FROM {{ source \"app\" \"users; DROP TABLE t\" }}");

        Expect.Diagnostic(error, file, 1, 18, "source table 'users; DROP TABLE t' is not a valid SQL name", Identifier.Rule);
    }

    [Fact]
    public void Empty_sql_file_is_an_error()
    {
        var (error, file) = Fails("\n  \n");

        Expect.Diagnostic(error, file, 1, 1, "step 'mart.revenue': SQL file is empty", "write the SQL the step runs");
    }

    [Fact]
    public void Errors_in_several_templates_are_reported_together()
    {
        using var pipeline = TemplatePipeline.Create("SELECT {{ nope }}");
        pipeline.Write("mart/patients.sql", "SELECT {{ schemas.mrt }}");

        var errors = pipeline.BuildErrors();

        Assert.Equal(
            [$"{pipeline.Display("mart/patients.sql")}(1,19): unknown variable 'schemas.mrt'", $"{pipeline.Display("mart/revenue.sql")}(1,11): unknown variable 'nope'"],
            errors.Select(e => $"{e.Span}: {e.Message}"));
    }

    [Fact]
    public void This_outside_a_step_is_an_error_at_this()
    {
        using var pipeline = TemplatePipeline.Create("SELECT 1 AS id");
        var renderer = new SqlRenderer(pipeline.Resolve(), new RunContext("r1", new DateOnly(2025, 12, 1)), new HashSet<string>());
        var file = Path.Combine(pipeline.Dir, "migrations", "0001_grant.sql");

        var error = Assert.Single(Assert.Throws<PipelineException>(() => renderer.RenderText("GRANT SELECT ON {{ this }} TO bi;", file)).Diagnostics);

        Expect.Diagnostic(error, DisplayPath.Of(file), 1, 20, "'this' is only defined in a step's SQL", "name the table with {{ schemas.x }} instead");
    }

    [Fact]
    public void A_template_cannot_replace_a_built_in_function_for_the_templates_after_it()
    {
        // The built-ins are shared by every template of the process (built once: binding them by reflection was most of a no-op's start).
        var (error, _) = Fails("""
            {{ string.upcase = "x" }}
            SELECT 1
            """);

        Assert.Contains("upcase", error.Message);
        using var pipeline = TemplatePipeline.Create("SELECT '{{ \"ok\" | string.upcase }}'");
        Assert.Equal("SELECT 'OK'\n", pipeline.Build().Steps[new StepId("mart", "revenue")].Sql);
    }
}
