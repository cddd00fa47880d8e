using Lacrei.Engine.Graph;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Tests.Docs;

/// <summary>
/// A site written by <c>engine docs</c>, read back the two ways a reader meets it: the JSON the
/// page embeds for its script, and the HTML of the step pages (upstream/downstream links).
/// </summary>
internal sealed partial class GeneratedSite
{
    private GeneratedSite(string dir, string html, JsonDocument data) => (Dir, Html, Data) = (dir, html, data);

    public string Dir { get; }
    public string Html { get; }
    public JsonDocument Data { get; }

    public static GeneratedSite Load(string dir)
    {
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        var json = DataScript().Match(html);
        Assert.True(json.Success, "index.html embeds no <script id=\"docs-data\">");
        return new GeneratedSite(dir, html, JsonDocument.Parse(json.Groups[1].Value));
    }

    public IEnumerable<string> JsonSteps => Data.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()!);

    public IEnumerable<(string From, string To)> JsonEdges => Data.RootElement.GetProperty("edges").EnumerateArray()
        .Select(e => (e.GetProperty("from").GetString()!, e.GetProperty("to").GetString()!));

    public JsonElement JsonStep(string id) => Data.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    /// <summary>Each step's page: its id and its HTML, from <c>&lt;article&gt;</c> to <c>&lt;/article&gt;</c>.</summary>
    public IReadOnlyDictionary<string, string> Pages => Article().Matches(Html).ToDictionary(m => m.Groups[1].Value, m => m.Value);

    /// <summary>The steps linked from a page's Upstream (index 0) or Downstream (index 1) box.</summary>
    public IReadOnlyList<string> Links(string step, int box)
    {
        var lineage = Lineage().Match(Pages[step]);
        Assert.True(lineage.Success, $"the page of {step} has no lineage section");
        var part = lineage.Groups[1].Value.Split("</div>")[box];
        return LinkTarget().Matches(part).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>The steps listed in the left-hand navigation.</summary>
    public IEnumerable<string> NavSteps => NavItem().Matches(Html).Select(m => m.Groups[1].Value);

    /// <summary>What the pipeline really is, from the engine's own workspace (no database).</summary>
    public static Workspace Workspace(string yamlPath, IEnumerable<string>? overrides = null) =>
        Graph.Workspace.Build(Project.Resolve(PipelineLoader.Load(yamlPath), new ProjectOptions(null, [.. overrides ?? []])),
            new RunContext("docs-test", new DateOnly(2025, 12, 1)));

    [GeneratedRegex("""<script type="application/json" id="docs-data">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex DataScript();

    [GeneratedRegex("""<article class="step" id="step-[^"]+" data-step="([^"]+)".*?</article>""", RegexOptions.Singleline)]
    private static partial Regex Article();

    [GeneratedRegex("""<section class="lineage">(.*?)</section>""", RegexOptions.Singleline)]
    private static partial Regex Lineage();

    [GeneratedRegex("""<a href="#[^"]+" data-step="([^"]+)">""")]
    private static partial Regex LinkTarget();

    [GeneratedRegex("""<li data-step="([^"]+)">""")]
    private static partial Regex NavItem();
}
