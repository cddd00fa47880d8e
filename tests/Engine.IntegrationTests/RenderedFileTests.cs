using System.Text.RegularExpressions;

namespace Lacrei.Engine.Tests;

/// <summary>
/// STYLE.md: the file in target/rendered/ is exactly what ran, and a SQL error points into it —
/// also for an incremental step with a scope, which sends either its scoped statements or those
/// that recompute everything, chosen when it runs.
/// </summary>
public sealed partial class RenderedFileTests
{
    private static string Fixture => Repo.Path("tests", "fixtures", "extract");

    // The source in the target database itself (no EXTRACT_SOURCE_URL): set-based extraction.
    private static readonly Dictionary<string, string?> SameDatabase = new() { ["EXTRACT_SOURCE_URL"] = null };

    private static async Task<IsolatedPipeline> CreateAsync()
    {
        var pipeline = new IsolatedPipeline(Fixture);
        var source = pipeline.Schema("source:app");
        await pipeline.ExecuteAsync($"""
            CREATE SCHEMA {source};
            CREATE TABLE {source}.users (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, city text, email text, deleted_at timestamptz);
            CREATE TABLE {source}.orders (id bigint PRIMARY KEY, user_id bigint, updated_at timestamptz NOT NULL, total numeric(12, 2));
            CREATE TABLE {source}.user_tags (id bigint PRIMARY KEY, user_id bigint, tag text);
            INSERT INTO {source}.users VALUES (1, '2025-01-01', '2025-01-01', 'Recife', NULL, NULL);
            INSERT INTO {source}.orders VALUES (10, 1, '2025-01-05', 50.00);
            """);
        return pipeline;
    }

    private static string Rendered(IsolatedPipeline pipeline, string step) =>
        File.ReadAllText(Path.Combine(pipeline.Dir, "target", "rendered", "model", step + ".sql"));

    [Fact]
    public async Task A_scoped_step_that_recomputes_everything_points_its_error_at_the_line_it_sent()
    {
        await using var pipeline = await CreateAsync();
        // Only the SELECT that recomputes everything reads the misspelt column; the scoped one does not.
        pipeline.EditFile("model/city_totals.sql", sql => sql.Replace("{{ end }}", "{{ else }}\nWHERE f.totl > 0\n{{ end }}"));

        // The first run has nothing to go on from: it recomputes everything.
        var run = await pipeline.Engine(SameDatabase, "run");

        Assert.True(run.ExitCode == 1, run.ToString());
        var at = ErrorAt().Match(run.Error);
        Assert.True(at.Success, run.ToString());
        var (line, column) = (int.Parse(at.Groups[1].Value), int.Parse(at.Groups[2].Value));
        var sent = Rendered(pipeline, "city_totals").Split('\n');
        // The error is shown at the template's line; the rendered file's place is the second line.
        Assert.Contains($" {line} | WHERE f.totl > 0", run.Error);
        var rendered = RenderedAt().Match(run.Error);
        Assert.True(rendered.Success, run.ToString());
        Assert.StartsWith("f.totl > 0", sent[int.Parse(rendered.Groups[1].Value) - 1][(int.Parse(rendered.Groups[2].Value) - 1)..]);
        Assert.DoesNotContain("lp_scope", string.Join('\n', sent));
    }

    [Fact]
    public async Task The_file_holds_the_scoped_statements_when_the_step_goes_on_and_the_others_when_it_recomputes_everything()
    {
        await using var pipeline = await CreateAsync();
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run")).ExitCode);
        Assert.DoesNotContain("lp_scope", Rendered(pipeline, "order_facts"));

        await pipeline.ExecuteAsync($"UPDATE {pipeline.Schema("source:app")}.orders SET total = 60.00, updated_at = '2025-01-06'");
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run")).ExitCode);
        Assert.Contains("lp_scope", Rendered(pipeline, "order_facts"));

        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run", "--atomic")).ExitCode);
        Assert.DoesNotContain("lp_scope", Rendered(pipeline, "order_facts"));
    }

    [Fact]
    public async Task Rendered_files_that_cannot_be_written_cost_a_warning_and_the_run_succeeds()
    {
        await using var pipeline = await CreateAsync();
        // A file where the folder should be: no step's SQL can be written under it.
        Directory.CreateDirectory(Path.Combine(pipeline.Dir, "target"));
        await File.WriteAllTextAsync(Path.Combine(pipeline.Dir, "target", "rendered"), "not a folder");

        var run = await pipeline.Engine(SameDatabase, "run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("The rendered SQL could not be written to", run.Error);
        Assert.Equal(0, (await pipeline.Engine(SameDatabase, "run")).ExitCode);
    }

    [GeneratedRegex(@"city_totals\.sql\((\d+),(\d+)\): error: step model\.city_totals failed: column f\.totl does not exist")]
    private static partial Regex ErrorAt();

    [GeneratedRegex(@"  rendered: \S*target/rendered/model/city_totals\.sql\((\d+),(\d+)\)")]
    private static partial Regex RenderedAt();
}
