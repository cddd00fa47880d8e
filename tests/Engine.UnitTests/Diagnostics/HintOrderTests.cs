using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Diagnostics;

/// <summary>
/// A hint that lists the known names reads the same on every run (alphabetically), so users,
/// snapshot tests and CI logs see one text. Six names make an accidental match unlikely.
/// </summary>
public sealed class HintOrderTests : IDisposable
{
    private readonly TempPipeline _pipeline = TempPipeline.Create("""
        name: shop
        vars:
          alpha: a
          bravo: b
          charlie: c
          delta: d
          echo: e
          foxtrot: f
        schemas:
          alpha: s_alpha
          bravo: s_bravo
          charlie: s_charlie
          delta: s_delta
          echo: s_echo
          meta: s_meta
        sources:
          alpha: { schema: src_alpha }
          bravo: { schema: src_bravo }
          charlie: { schema: src_charlie }
          delta: { schema: src_delta }
          echo: { schema: src_echo }
          foxtrot: { schema: src_foxtrot }
        targets:
          alpha: { schema_suffix: _a }
          bravo: { schema_suffix: _b }
          charlie: { schema_suffix: _c }
          delta: { schema_suffix: _d }
          echo: { schema_suffix: _e }
          foxtrot: { schema_suffix: _f }
        layers:
          - name: alpha
            steps:
              - name: report
                sql: report.sql
        """, ("report.sql", "SELECT 1 AS id"));

    public void Dispose() => _pipeline.Dispose();

    private const string Schemas = "alpha, bravo, charlie, delta, echo, meta";
    private const string Others = "alpha, bravo, charlie, delta, echo, foxtrot";

    private Diagnostic ResolveError(string? target, params string[] vars) =>
        Assert.Single(Assert.Throws<PipelineException>(() => Project.Resolve(_pipeline.Load(), new ProjectOptions(target, [.. vars]))).Diagnostics);

    private Diagnostic TemplateError(string sql)
    {
        _pipeline.Write("report.sql", sql);
        return Assert.Single(_pipeline.BuildErrors());
    }

    [Fact]
    public void Unknown_target_lists_the_targets_alphabetically()
    {
        Assert.Equal($"known targets: {Others}", ResolveError("production").Hint);
    }

    [Fact]
    public void Unknown_var_lists_the_vars_alphabetically()
    {
        Assert.Equal($"known vars: {Others}", ResolveError(null, "timezone=UTC").Hint);
    }

    [Fact]
    public void Unknown_schema_override_lists_the_schemas_alphabetically()
    {
        Assert.Equal($"known schemas: {Schemas}", ResolveError(null, "schemas.warehouse=x").Hint);
    }

    [Fact]
    public void Unknown_source_override_lists_the_sources_alphabetically()
    {
        Assert.Equal($"known sources: {Others}", ResolveError(null, "sources.warehouse.schema=x").Hint);
    }

    [Fact]
    public void Layer_without_schema_lists_the_schemas_alphabetically()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              meta: s_meta
              echo: s_echo
              delta: s_delta
              charlie: s_charlie
              bravo: s_bravo
              alpha: s_alpha
            layers:
              - name: warehouse
                steps: []
            """);

        Assert.Equal($"known schemas: {Schemas}", Assert.Single(pipeline.LoadErrors()).Hint);
    }

    [Fact]
    public void Unknown_schema_in_a_template_lists_the_schemas_alphabetically()
    {
        Assert.Equal($"known schemas: {Schemas}", TemplateError("SELECT * FROM {{ schemas.warehouse }}.t").Hint);
    }

    [Fact]
    public void Unknown_var_in_a_template_lists_the_vars_alphabetically()
    {
        Assert.Equal($"known vars: {Others}", TemplateError("SELECT '{{ vars.timezone }}'").Hint);
    }

    [Fact]
    public void Unknown_source_in_a_template_lists_the_sources_alphabetically()
    {
        Assert.Equal($"known sources: {Others}", TemplateError("SELECT * FROM {{ source \"warehouse\" \"t\" }}").Hint);
    }
}
