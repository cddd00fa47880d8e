using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>
/// SPEC §3, §8: <c>--target</c> and <c>--var</c> re-map schemas and vars; every resulting name is
/// validated, and a value that could break out of SQL is refused before any SQL exists.
/// </summary>
public sealed class ProjectResolveTests : IDisposable
{
    private readonly TempPipeline _pipeline = TempPipeline.Create("""
        name: shop
        vars:
          timezone: America/Sao_Paulo
          min_cell_size: "5"
        schemas:
          staging: shop_staging
          mart: shop_mart
          meta: shop_pipeline
        sources:
          app: { schema: shop-source }
        targets:
          ci: { schema_suffix: _ci }
          dev: { schemas: { mart: dev_mart }, vars: { timezone: UTC } }
          broken: { schema_suffix: '"; DROP TABLE t; --' }
        layers: []
        """);

    public void Dispose() => _pipeline.Dispose();

    private Project Resolve(string? target = null, params string[] vars) => Project.Resolve(_pipeline.Load(), new ProjectOptions(target, [.. vars]));

    private Diagnostic Refused(string? target = null, params string[] vars)
    {
        var error = Assert.Throws<PipelineException>(() => Resolve(target, vars));
        Assert.Equal(ErrorKind.Usage, error.Kind);
        return Assert.Single(error.Diagnostics);
    }

    [Fact]
    public void Schema_override_with_an_injection_is_refused_with_the_naming_rule()
    {
        var error = Refused(null, "schemas.mart=x\"; DROP TABLE t; --");

        Expect.Diagnostic(error, ErrorKind.Usage, "--var schemas.mart: 'x\"; DROP TABLE t; --' is not a valid SQL name", Identifier.Rule);
    }

    [Fact]
    public void Schema_override_replaces_the_schema()
    {
        var project = Resolve(null, "schemas.mart=mart_dev");

        Assert.Equal("\"mart_dev\"", project.Schemas["mart"].Quoted);
        Assert.Equal("\"shop_staging\"", project.Schemas["staging"].Quoted);
    }

    [Fact]
    public void Unknown_schema_key_suggests_the_nearest()
    {
        var error = Refused(null, "schemas.marts=x");

        Expect.Diagnostic(error, ErrorKind.Usage, "--var schemas.marts: no schema 'marts'", "did you mean 'mart'?");
    }

    [Fact]
    public void Unknown_var_suggests_the_nearest()
    {
        var error = Refused(null, "timezon=UTC");

        Expect.Diagnostic(error, ErrorKind.Usage, "--var timezon: no such var in pipeline.yaml", "did you mean 'timezone'?");
    }

    [Theory]
    [InlineData("timezone=UTC'; DROP TABLE t; --")]
    [InlineData("timezone=UTC\"")]
    [InlineData("timezone=UTC;")]
    [InlineData("timezone=UTC -- comment")]
    [InlineData("timezone=UTC /* comment")]
    [InlineData("timezone=UTC\\")]
    public void Var_values_with_quotes_semicolons_or_comments_are_refused(string text)
    {
        var error = Refused(null, text);

        Expect.Diagnostic(error, ErrorKind.Usage, "--var timezone: the value may not contain quotes, ';', '\\' or comment markers",
            "vars are pasted into SQL; pass plain values such as UTC or 2025-12-01");
    }

    [Fact]
    public void Var_override_replaces_the_value()
    {
        Assert.Equal("UTC", Resolve(null, "timezone=UTC").Vars["timezone"]);
    }

    [Fact]
    public void Var_without_equals_sign_shows_the_form()
    {
        var error = Refused(null, "timezone");

        Expect.Diagnostic(error, ErrorKind.Usage, "--var 'timezone' is not key=value", "for example --var timezone=UTC or --var schemas.mart=mart_dev");
    }

    [Fact]
    public void Source_schema_override_is_validated()
    {
        Assert.Equal("\"other-source\"", Resolve(null, "sources.app.schema=other-source").Sources["app"].Schema.Quoted);

        var error = Refused(null, "sources.app.schema=x\"; --");
        Expect.Diagnostic(error, ErrorKind.Usage, "--var sources.app.schema: 'x\"; --' is not a valid SQL name", Identifier.Rule);
    }

    [Fact]
    public void Every_bad_override_is_reported_together()
    {
        var error = Assert.Throws<PipelineException>(() => Resolve(null, "schemas.mart=a b", "timezon=UTC", "min_cell_size=1;"));

        Assert.Equal(3, error.Diagnostics.Count);
    }

    [Fact]
    public void Target_schema_suffix_applies_to_every_schema_but_not_to_sources()
    {
        var project = Resolve("ci");

        Assert.Equal(
            ["mart=\"shop_mart_ci\"", "meta=\"shop_pipeline_ci\"", "staging=\"shop_staging_ci\""],
            project.Schemas.Select(s => $"{s.Key}={s.Value.Quoted}").Order(StringComparer.Ordinal));
        Assert.Equal("\"shop-source\"", project.Sources["app"].Schema.Quoted);
        Assert.Equal("\"shop_pipeline_ci\"", project.MetaSchema.Quoted);
        Assert.Equal("ci", project.TargetName);
    }

    [Fact]
    public void Target_schemas_and_vars_replace_the_defaults()
    {
        var project = Resolve("dev");

        Assert.Equal(("\"dev_mart\"", "\"shop_staging\"", "UTC"), (project.Schemas["mart"].Quoted, project.Schemas["staging"].Quoted, project.Vars["timezone"]));
    }

    [Fact]
    public void Var_overrides_apply_after_the_target()
    {
        var project = Resolve("ci", "schemas.mart=mart_review");

        Assert.Equal(("\"mart_review\"", "\"shop_staging_ci\""), (project.Schemas["mart"].Quoted, project.Schemas["staging"].Quoted));
    }

    [Fact]
    public void Target_suffix_that_breaks_a_name_is_refused()
    {
        var error = Assert.Throws<PipelineException>(() => Resolve("broken"));

        Assert.Equal(3, error.Diagnostics.Count);
        Assert.Contains(error.Diagnostics, d => d.Message == "schema 'mart' is not a valid SQL name: 'shop_mart\"; DROP TABLE t; --'" && d.Hint == Identifier.Rule);
    }

    [Fact]
    public void Unknown_target_suggests_the_nearest()
    {
        var error = Refused("cii");

        Expect.Diagnostic(error, ErrorKind.Usage, "unknown target 'cii'", "did you mean 'ci'?");
    }

    [Fact]
    public void Meta_schema_defaults_to_pipeline_meta()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers: []
            """);

        var project = Project.Resolve(pipeline.Load(), new ProjectOptions());

        Assert.Equal("\"pipeline_meta\"", project.MetaSchema.Quoted);
    }
}
