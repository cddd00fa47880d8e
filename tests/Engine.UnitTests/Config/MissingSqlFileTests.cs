using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>SPEC §3: a step whose <c>sql:</c> file does not exist is an error at the path, naming a near file if there is one.</summary>
public sealed class MissingSqlFileTests
{
    private const string Yaml = """
        name: shop
        schemas:
          mart: shop_mart
        layers:
          - name: mart
            steps:
              - name: patients
                sql: mart/patient.sql
        """;

    [Fact]
    public void Missing_sql_file_suggests_the_nearest_file_in_its_folder()
    {
        using var pipeline = TempPipeline.Create(Yaml, ("mart/patients.sql", "SELECT 1 AS id"), ("mart/professionals.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 8, 14,
            $"step 'mart.patients': SQL file not found: mart/patient.sql (looked in {pipeline.Display("")})",
            "did you mean 'mart/patients.sql'?");
        Assert.Equal("mart/patient.sql".Length, error.Span!.Length);
    }

    [Fact]
    public void Missing_sql_file_without_a_near_name_has_no_hint()
    {
        using var pipeline = TempPipeline.Create(Yaml, ("mart/appointments_by_state.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 8, 14,
            $"step 'mart.patients': SQL file not found: mart/patient.sql (looked in {pipeline.Display("")})");
    }

    [Fact]
    public void A_step_whose_sql_file_is_missing_is_still_known_to_the_steps_that_depend_on_it()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: patients
                    sql: mart/patient.sql
                  - name: summary
                    sql: mart/summary.sql
                    depends_on: [mart.patients]
            """, ("mart/patients.sql", "SELECT 1 AS id"), ("mart/summary.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Assert.Equal($"step 'mart.patients': SQL file not found: mart/patient.sql (looked in {pipeline.Display("")})", error.Message);
    }

    [Fact]
    public void Sql_paths_are_relative_to_sql_root()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            sql_root: pipelines/shop
            schemas:
              mart: shop_mart
            layers:
              - name: mart
                steps:
                  - name: patients
                    sql: mart/patients.sql
            """, ("pipelines/shop/mart/patients.sql", "SELECT 1 AS id"));

        var step = Assert.Single(pipeline.Load().Steps);

        Assert.Equal(Path.Combine(pipeline.Dir, "pipelines", "shop", "mart", "patients.sql"), step.SqlPath);
    }

    [Fact]
    public void A_missing_folder_named_in_pipeline_yaml_is_an_error()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            migrations: db/migrations
            layers: []
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 4, 13, "folder not found: db/migrations");
    }
}
