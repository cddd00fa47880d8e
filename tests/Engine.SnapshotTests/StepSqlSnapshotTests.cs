using System.Text;
using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;

namespace Lacrei.Engine.Tests;

/// <summary>
/// Every step's rendered SQL (what <c>run</c> sends, materialization included) and its data tests'
/// queries, approved per step: a pull request that changes SQL shows the change as a diff.
/// </summary>
public sealed class StepSqlSnapshotTests
{
    public static TheoryData<string, string> Steps()
    {
        var data = new TheoryData<string, string>();
        foreach (var pipeline in Pipelines.Files.Keys)
        foreach (var step in Pipelines.Workspace(pipeline).Project.Config.Steps)
            data.Add(pipeline, step.Id.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Rendered_sql_matches_the_approved_file(string pipeline, string step)
    {
        StepId.TryParse(step, out var id);

        Approval.Verify(Path.Combine(pipeline, "steps"), step, Text(Pipelines.Workspace(pipeline).Steps[id]), "sql");
    }

    [Theory]
    [InlineData("shop")]
    [InlineData("lacrei")]
    [InlineData("authoring")]
    public void Every_approved_step_file_belongs_to_a_step(string pipeline)
    {
        var steps = Pipelines.Workspace(pipeline).Project.Config.Steps.Select(s => s.Id.ToString()).ToHashSet();
        var approved = Approval.Files(Path.Combine(pipeline, "steps"), "sql");

        var stale = approved.Where(name => !steps.Contains(name)).ToList();
        Assert.True(stale.Count == 0, "approved files of nothing (delete them): " + string.Join(", ", stale));
    }

    private static string Text(RenderedStep step)
    {
        var text = new StringBuilder(step.Sql);
        foreach (var test in step.Tests)
        {
            text.Append($"\n-- ==== data test {test.Config.Name} ({test.Config.Severity.ToString().ToLowerInvariant()}): offending rows ====\n");
            text.Append(test.Sql.TrimEnd()).Append('\n');
        }
        return text.ToString();
    }
}
