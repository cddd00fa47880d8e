using System.Text.RegularExpressions;
using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Docs;

/// <summary>
/// docs/reference.md documents every key pipeline.yaml accepts, the loader's errors link to it, and
/// nothing the engine prints (help, errors, hints) names a document that is not in the repository.
/// </summary>
public sealed partial class ReferenceDocTests
{
    [Fact]
    public void Every_key_the_loader_accepts_has_an_anchor_in_reference_md()
    {
        var anchors = Anchors(Repo.Path("docs", "reference.md"));

        var missing = PipelineLoader.ReferenceAnchors().Where(a => !anchors.Contains(a)).ToList();

        Assert.True(missing.Count == 0, "docs/reference.md lacks an entry (<a id=\"…\"></a>) for: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("        depend_on: [mart.orders]", "steps")]
    [InlineData("        materialize: replce", "step-materialize")]
    [InlineData("        delete_missing: maybe", "step-delete_missing")]
    [InlineData("        tests: [ { accepted_values: { column: status, values: [a], severity: fatal } } ]", "tests-severity")]
    [InlineData("        tests: [ { uniq: [id] } ]", "tests")]
    [InlineData("        tests: [ { relationships: { column: id } } ]", "tests-relationships")]
    [InlineData("        extract: { source: app, table: t, columns: [id], delets: none }", "extract")]
    [InlineData("        extract: { source: app, table: t, columns: [id], deletes: never }", "extract-deletes")]
    public void A_loader_error_links_to_the_entry_of_the_key_it_is_about(string line, string anchor)
    {
        using var pipeline = TempPipeline.Create($"""
            name: shop
            schemas:
              mart: shop_mart
            sources:
              app: {"{"} schema: app {"}"}
            layers:
              - name: mart
                steps:
                  - name: orders
                    sql: orders.sql
            {line}
            """, ("orders.sql", "SELECT 1 AS id"));

        var error = Assert.Single(pipeline.LoadErrors());

        Assert.Equal($"docs/reference.md#{anchor}", error.See);
    }

    [Fact]
    public void Errors_outside_a_step_link_to_their_section()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              mart: shop_mart
            targets:
              ci: { schema_sufix: _ci }
            lock_timeout: soon
            layers: []
            """);

        Assert.Equal(["docs/reference.md#targets", "docs/reference.md#lock_timeout"], pipeline.LoadErrors().Select(e => e.See));
    }

    [Fact]
    public void Every_document_an_engine_source_names_exists_with_its_anchor()
    {
        var missing = new List<string>();
        var named = new HashSet<string>();
        foreach (var file in EngineFiles())
        foreach (Match reference in DocReference().Matches(File.ReadAllText(file)))
        {
            named.Add(reference.Groups[1].Value);
            var doc = Repo.Path(reference.Groups[1].Value.Split('/'));
            var where = $"{Path.GetRelativePath(Repo.Root, file)}: {reference.Value}";
            if (!File.Exists(doc)) missing.Add(where + " (no such file)");
            else if (reference.Groups[2].Success && !Anchors(doc).Contains(reference.Groups[2].Value)) missing.Add(where + " (no such anchor)");
        }

        Assert.True(missing.Count == 0, "documents or anchors named by the engine that do not exist:\n  " + string.Join("\n  ", missing));
        Assert.Superset(new HashSet<string> { "docs/reference.md", "docs/operations.md", "docs/privacy.md" }, named);
    }

    [Fact]
    public void No_help_or_error_text_cites_the_spec_which_is_not_in_the_repository()
    {
        // Comments may cite the spec (STYLE.md); text in quotes reaches users.
        var cited = EngineFiles().Where(f => f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && InQuotes(l.Text, "SPEC §"))
            .Select(l => $"{Path.GetRelativePath(Repo.Root, l.File)}({l.Line}): {l.Text.Trim()}")
            .ToList();

        Assert.True(cited.Count == 0, "user-facing text citing SPEC (point to a document under docs/ instead):\n  " + string.Join("\n  ", cited));
    }

    private static bool InQuotes(string line, string text)
    {
        var at = line.IndexOf(text, StringComparison.Ordinal);
        return at >= 0 && line[..at].Count(c => c == '"') % 2 == 1;
    }

    private static IEnumerable<string> EngineFiles() =>
        Directory.EnumerateFiles(Repo.Path("engine"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && Path.GetExtension(f) is ".cs" or ".yaml" or ".sql" or ".md");

    /// <summary>A document's anchors: explicit <c>&lt;a id&gt;</c>s and the ids GitHub gives its headings.</summary>
    private static HashSet<string> Anchors(string path)
    {
        var text = File.ReadAllText(path);
        var anchors = ExplicitAnchor().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(text))
            anchors.Add(Slug().Replace(heading.Groups[1].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'));
        return anchors;
    }

    [GeneratedRegex(@"\b(docs/[A-Za-z0-9_./-]+\.md)(?:#([A-Za-z0-9_-]+))?")]
    private static partial Regex DocReference();

    [GeneratedRegex("<a id=\"([^\"]+)\"></a>")]
    private static partial Regex ExplicitAnchor();

    [GeneratedRegex(@"(?m)^#{1,6} (.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex Slug();
}
