using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Privacy;

/// <summary>
/// SPEC §9.2 data minimisation: <c>validate</c> warns about an extracted column that no step
/// reading the extract step mentions, and an extract expression is a template (so the age at
/// sign-up can be taken in <c>vars.timezone</c> on the source).
/// </summary>
public sealed class ExtractMinimisationTests
{
    private static TempPipeline Pipeline(string staging2Sql, string expression = "has_reason: \"reason IS NOT NULL\"") => TempPipeline.Create($$"""
        name: shop
        vars:
          timezone: America/Sao_Paulo
        schemas:
          staging1: s1
          staging2: s2
        sources:
          app: { schema: app }
        layers:
          - name: staging1
            steps:
              - name: users
                extract:
                  source: app
                  table: users
                  key: id
                  cursor: updated_at
                  columns: [id, updated_at, created_at, last_login, "status"]
                  expressions:
                    {{expression}}
          - name: staging2
            steps:
              - name: users
                sql: staging2/users.sql
                materialize: upsert
                key: [id]
        """, ("staging2/users.sql", staging2Sql));

    [Fact]
    public void Validate_warns_about_an_extracted_column_no_later_step_reads_and_not_about_read_ones()
    {
        using var pipeline = Pipeline("""
            -- last_login is not read: a comment does not count
            SELECT id, created_at, "status", has_reason FROM {{ ref "staging1.users" }}
            """);
        var warnings = UnusedExtractColumns.Find(pipeline.Build());
        var warning = Assert.Single(warnings);
        Assert.Equal("step 'staging1.users' extracts 'last_login', which no step that reads it mentions (staging2.users)", warning.Message);
        Assert.Equal((18, 49), (warning.Span!.Line, warning.Span.Column));
        Assert.Equal("leave it in the source: remove it from columns: (data minimisation, docs/privacy.md)", warning.Hint);
    }

    [Fact]
    public void An_unread_expression_is_warned_about_and_the_key_and_cursor_never_are()
    {
        using var pipeline = Pipeline("SELECT created_at, last_login, \"status\" FROM {{ ref \"staging1.users\" }}");
        var warning = Assert.Single(UnusedExtractColumns.Find(pipeline.Build()));
        Assert.Equal("step 'staging1.users' extracts 'has_reason', which no step that reads it mentions (staging2.users)", warning.Message);
    }

    [Fact]
    public async Task Validate_prints_the_warning_and_succeeds()
    {
        using var pipeline = Pipeline("SELECT id, created_at, \"status\", has_reason FROM {{ ref \"staging1.users\" }}");
        var outcome = await EngineCli.RunAsync(["validate", "--project", pipeline.YamlPath]);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains($"{pipeline.Display()}(18,49): warning: step 'staging1.users' extracts 'last_login'", outcome.Error);
        Assert.Contains("pipeline.yaml is valid", outcome.Out);
    }

    [Fact]
    public void An_extract_expression_is_a_template_rendered_with_the_pipelines_vars()
    {
        using var pipeline = Pipeline("SELECT * FROM {{ ref \"staging1.users\" }}",
            expression: "signup_date: \"(created_at AT TIME ZONE '{{ vars.timezone }}')::date\"");
        var plan = pipeline.Build().Steps[new StepId("staging1", "users")].Extract!;
        Assert.Contains("((created_at AT TIME ZONE 'America/Sao_Paulo')::date) AS \"signup_date\"", plan.SelectList);
    }

    [Fact]
    public void An_extract_expression_may_not_compute_a_pseudonym_on_the_source()
    {
        using var pipeline = Pipeline("SELECT * FROM {{ ref \"staging1.users\" }}", expression: "key: '{{ pseudonym \"patient\" \"id\" }}'");
        File.WriteAllText(pipeline.YamlPath, "pseudonym_key: SHOP_KEY\n" + File.ReadAllText(pipeline.YamlPath));
        var error = Assert.Single(pipeline.BuildErrors());
        Assert.Equal("step 'staging1.users': expression 'key' runs on the source, where pseudonyms and the pipeline's tables do not exist", error.Message);
    }
}
