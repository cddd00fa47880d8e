using System.Text;
using System.Text.RegularExpressions;
using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Migrations;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Cli.Snapshots;

/// <summary>One approved file: its path under <c>snapshots/</c> ('/'-separated) and its text.</summary>
internal sealed record SnapshotFile(string Path, string Text);

/// <summary>
/// What <c>engine render --check</c> compares and <c>--approve</c> writes (SPEC §8): one file per
/// step, <c>snapshots/&lt;layer&gt;.&lt;step&gt;.sql</c>, holding the SQL run sends and its data tests'
/// queries, and one per pipeline migration, <c>snapshots/migrations/&lt;file&gt;.sql</c>. The text is
/// the same on every machine and every day: the run id is pinned and the as-of date is the one
/// the files were approved with (their first line says which), unless <c>--as-of</c> re-pins it.
/// </summary>
internal static partial class SnapshotFiles
{
    public const string Folder = "snapshots";

    /// <summary>run.id in snapshots: a run id made of the clock would change every file on every render.</summary>
    public const string RunId = "snapshot";

    public static string Dir(PipelineConfig config) => System.IO.Path.Combine(config.RootDir, Folder);

    /// <summary>The files of the selected steps, and the migrations' when the whole pipeline is selected.</summary>
    public static IReadOnlyList<SnapshotFile> Of(Workspace workspace, IEnumerable<StepId> selected, bool wholePipeline) =>
        [.. selected.Select(id => Step(workspace.Steps[id], workspace.Run.AsOf)), .. wholePipeline ? Migrations(workspace) : []];

    public static string StepPath(StepId id) => $"{id}.sql";

    /// <summary>The pipeline's own migrations as DbUp applies them (the engine's meta scripts are the engine's, not the pipeline's).</summary>
    private static IEnumerable<SnapshotFile> Migrations(Workspace workspace)
    {
        var renderer = new SqlRenderer(workspace.Project, workspace.Run, workspace.Seeds.Select(s => s.Name).ToHashSet());
        return new Migrator(workspace.Project, renderer, "Host=unused", Serilog.Core.Logger.None).Scripts()
            .Where(script => !script.Name.StartsWith("engine/", StringComparison.Ordinal))
            .Select(script => new SnapshotFile(script.Name, Normalize(Header(script.Name, workspace.Run.AsOf) + script.Sql)));
    }

    private static SnapshotFile Step(RenderedStep step, DateOnly asOf)
    {
        var text = new StringBuilder(Header($"{step.Step.Id} ({step.Step.Materialize.ToString().ToLowerInvariant()})", asOf));
        text.Append(step.Sql.TrimEnd()).Append('\n');
        if (step.FullSql is not null)
            text.Append("\n-- ==== when the step recomputes everything (first run, --full-refresh, a changed input) ====\n")
                .Append(step.FullSql.TrimEnd()).Append('\n');
        if (step.IndexSql is not null)
            text.Append("\n-- ==== once the step has committed, in a transaction of its own while later steps run: its indexes ====\n")
                .Append(step.IndexSql.TrimEnd()).Append('\n');
        foreach (var test in step.Tests)
        {
            text.Append($"\n-- ==== data test {test.Config.Name} ({test.Config.Severity.ToString().ToLowerInvariant()}): offending rows ====\n");
            text.Append(test.Sql.TrimEnd()).Append('\n');
        }
        if (step.TestsInOnePass is { } onePass)
            text.Append("\n-- ==== data tests ").Append(string.Join(", ", onePass.Positions.Select(i => step.Tests[i].Config.Name)))
                .Append(" in one pass (a test with offending rows then runs its own query) ====\n")
                .Append(onePass.Sql.TrimEnd()).Append('\n');
        return new SnapshotFile(StepPath(step.Step.Id), Normalize(text.ToString()));
    }

    private static string Header(string what, DateOnly asOf) => $"-- {what}: rendered as of {asOf:yyyy-MM-dd} by engine render --approve\n";

    /// <summary>The as-of date the files under <paramref name="dir"/> were approved with (the first found, in path order); null when none.</summary>
    public static DateOnly? ApprovedAsOf(string dir)
    {
        if (!Directory.Exists(dir)) return null;
        foreach (var file in Existing(dir))
        {
            using var reader = new StreamReader(System.IO.Path.Combine(dir, file));
            if (AsOfHeader().Match(reader.ReadLine() ?? "") is { Success: true } match
                && DateOnly.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd", out var date)) return date;
        }
        return null;
    }

    /// <summary>Every approved file under the folder, '/'-separated and in ordinal order.</summary>
    public static IReadOnlyList<string> Existing(string dir) => !Directory.Exists(dir)
        ? []
        : Directory.EnumerateFiles(dir, "*.sql", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// LF line ends, no trailing spaces, at most one blank line in a row, one final newline: what a
    /// template's `{{ if }}` lines leave behind never shows up as a change.
    /// </summary>
    public static string Normalize(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd());
        var result = new StringBuilder();
        var blank = true; // no blank line at the start either
        foreach (var line in lines)
        {
            if (line.Length == 0 && blank) continue;
            blank = line.Length == 0;
            result.Append(line).Append('\n');
        }
        return result.ToString().TrimEnd('\n') + "\n";
    }

    [GeneratedRegex(@"^-- .*: rendered as of (\d{4}-\d{2}-\d{2}) by engine render --approve$")]
    private static partial Regex AsOfHeader();
}
