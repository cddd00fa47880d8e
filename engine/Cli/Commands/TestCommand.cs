using System.CommandLine;
using System.Text.Json.Nodes;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Quality;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine test</c> (SPEC §11): the declared data tests of the selected steps, against what is
/// published now, each step in a read-only transaction. Exit 1 when an error-severity test fails.
/// </summary>
internal static class TestCommand
{
    public static Command Create(CliApp app)
    {
        var only = SelectionOptions.Only();
        var exclude = SelectionOptions.Exclude();
        var unit = new Option<bool>("--unit") { Description = "Run the unit tests in unit_tests/ (mock inputs, rolled back) instead of the data tests" };
        var state = StateOptions.State();
        var defer = StateOptions.Defer();
        var storeFailures = FailureOptions.StoreFailures();
        var command = new Command("test", "Run the declared data tests against the published tables") { only, exclude, state, defer, unit, storeFailures };
        app.SetAction(command, async (context, ct) =>
        {
            if (context.Parse.GetValue(unit))
                return await UnitTestCommand.RunAsync(context, context.Parse.GetValue(only), context.Parse.GetValue(exclude), context.Parse.GetValue(GlobalOptions.Json), ct);
            var ci = SlimCi.Select(context, context.BuildWorkspace(context.LoadProject()),
                new Selector.Selection(context.Parse.GetValue(only), context.Parse.GetValue(exclude)), context.Parse.GetValue(state), context.Parse.GetValue(defer));
            var workspace = ci.Workspace;
            var selected = ci.Selected.Where(id => !workspace.Steps[id].Tests.IsEmpty).ToList();
            await using var dataSource = await Connections.OpenAsync(context.Connection(), ct);
            var results = new List<DataTestResult>();
            foreach (var id in selected)
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
                await using (var readOnly = new Npgsql.NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
                    await readOnly.ExecuteNonQueryAsync(ct);
                results.AddRange(await DataTestRunner.RunAsync(connection, transaction, workspace.Steps[id], ct));
            }
            // The tests ran read-only; what they found is kept in transactions that may write, one per step.
            var failures = new FailureStore(workspace.Project, context.Parse.GetValue(storeFailures), keepFailedSteps: false);
            foreach (var id in selected.Where(id => workspace.Steps[id].Tests.Any(failures.Stores)))
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                try
                {
                    await failures.StoreAsync(connection, transaction, workspace.Steps[id], ct);
                    await transaction.CommitAsync(ct);
                }
                catch (Npgsql.PostgresException e)
                {
                    // Its test already failed with the reason (a table never built, a broken query).
                    await context.Error.WriteLineAsync($"warning: the offending rows of {id} could not be kept: {e.MessageText}");
                }
            }
            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            {
                if (await new RunLogReader(workspace.Project.MetaSchema).ExistsAsync(connection, ct))
                    await new RunLog(workspace.Project.MetaSchema).RecordTestsAsync(connection, null, "test-" + workspace.Run.RunId, results, ct);
            }

            if (context.Parse.GetValue(GlobalOptions.Json))
                await context.Out.WriteLineAsync(new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
                {
                    ["step"] = r.Step.ToString(), ["test"] = r.Name, ["kind"] = r.Kind, ["severity"] = r.Severity.ToString().ToLowerInvariant(),
                    ["status"] = r.Status.ToString().ToLowerInvariant(), ["failures"] = r.Failures, ["error"] = r.Error,
                })]).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            else
            {
                foreach (var result in results) await TestReport.WriteLineAsync(context.Out, result);
                await context.Out.WriteLineAsync($"{results.Count} tests: {results.Count(r => r.Status == TestStatus.Passed)} passed, " +
                    $"{results.Count(r => r.Status == TestStatus.Failed)} failed, {results.Count(r => r.Status == TestStatus.Warned)} warned");
                await TestReport.WriteProblemsAsync(context.Error, results);
            }
            return results.Any(r => r.Blocks) ? ExitCodes.StepFailed : ExitCodes.Success;
        }, printsJson: true);
        return command;
    }
}
