using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Templating;
using Npgsql;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Quality;

/// <summary>
/// Before a run: a test that names a column its (already built) table does not have is a
/// configuration error at the test's line in pipeline.yaml, not a failure found after the work.
/// </summary>
public static class DataTestColumnCheck
{
    public static async Task RunAsync(NpgsqlDataSource dataSource, Workspace workspace, IEnumerable<StepId> selected, CancellationToken ct)
    {
        var checks = selected.Select(id => workspace.Steps[id].Step)
            .SelectMany(step => step.Tests.SelectMany(test => test.Columns.Select(column => (Step: step, Test: test, Column: column))))
            .ToList();
        if (checks.Count == 0) return;
        var tables = checks.Select(c => workspace.Project.TableOf(c.Step)).Distinct().ToArray();
        await using var command = dataSource.CreateCommand(
            """
            SELECT t.name, a.attname::text
              FROM unnest($1::text[]) AS t(name)
              JOIN pg_attribute a ON a.attrelid = to_regclass(t.name) AND a.attnum > 0 AND NOT a.attisdropped
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tables });
        var columns = new Dictionary<string, HashSet<string>>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                if (!columns.TryGetValue(reader.GetString(0), out var set)) columns[reader.GetString(0)] = set = [];
                set.Add(reader.GetString(1));
            }
        var problems = checks
            .Where(c => columns.TryGetValue(workspace.Project.TableOf(c.Step), out var known) && !known.Contains(c.Column))
            .Select(c => new Diagnostic(ErrorKind.Config, c.Test.Span,
                $"test {c.Test.Name} of {c.Step.Id} names column '{c.Column}', which table {workspace.Project.TableOf(c.Step)} does not have",
                Suggest.Hint(c.Column, columns[workspace.Project.TableOf(c.Step)].Order().ToList(), "columns")))
            .ToList();
        if (problems.Count > 0) throw new PipelineException(problems);
    }
}
