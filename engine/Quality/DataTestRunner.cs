using Lacrei.Engine.Config;
using Lacrei.Engine.Templating;
using Npgsql;

namespace Lacrei.Engine.Quality;

/// <summary>
/// Runs a step's data tests on the step's own transaction (SPEC §11), each behind a savepoint so
/// that a broken test query is reported as that test's failure rather than aborting the step.
/// </summary>
public static class DataTestRunner
{
    public const int SampleRows = 5;
    private const string Mask = "•••";

    /// <param name="recomputedOnly">The step went on from its last run: row-level tests look at the rows it recomputed.</param>
    public static async Task<IReadOnlyList<DataTestResult>> RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        RenderedStep step, CancellationToken ct, bool recomputedOnly = false)
    {
        var results = new List<DataTestResult>();
        var passed = await PassedInOnePassAsync(connection, transaction, recomputedOnly ? step.RecomputedTestsInOnePass : step.TestsInOnePass, ct);
        foreach (var (test, position) in step.Tests.Select((t, i) => (t, i)))
        {
            if (passed.Contains(position))
            {
                results.Add(Passed(step.Step, test));
                continue;
            }
            await transaction.SaveAsync("lp_test", ct);
            try
            {
                results.Add(await RunOneAsync(connection, transaction, step.Step, test, recomputedOnly, ct));
                await transaction.ReleaseAsync("lp_test", ct);
            }
            catch (PostgresException e)
            {
                await transaction.RollbackAsync("lp_test", ct);
                var severity = test.Config.Severity;
                results.Add(new DataTestResult(step.Step.Id, test.Config.Name, test.Config.Kind, severity,
                    severity == Severity.Warn ? TestStatus.Warned : TestStatus.Failed, 0, [], test.Config.Span,
                    e.SqlState == PostgresErrorCodes.UndefinedTable
                        ? $"the test query failed: {Database.ServerErrorText.Of(e, test.Sql).Message} (has {step.Step.Id} ever passed its tests? `engine run --keep-failed` keeps a failed build in the failures schema for inspection)"
                        : $"the test query failed: {Database.ServerErrorText.Of(e, test.Sql).Message}"));
            }
        }
        return results;
    }

    /// <summary>
    /// The tests of the one-pass query that no row offends. Any error in it (an expression that
    /// fails on some row, a name it makes ambiguous) leaves every test to its own query, which
    /// then reports what is wrong with which test.
    /// </summary>
    private static async Task<IReadOnlySet<int>> PassedInOnePassAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Sql.OnePassTests? onePass, CancellationToken ct)
    {
        if (onePass is null) return new HashSet<int>();
        await transaction.SaveAsync("lp_tests", ct);
        try
        {
            HashSet<int> passed;
            await using (var command = new NpgsqlCommand(onePass.Sql, connection, transaction) { CommandTimeout = 0 })
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                // Column N of the answer counts the rows offending the N-th test of the pass.
                passed = onePass.Positions.Where((_, column) => reader.GetInt64(column) == 0).ToHashSet();
            }
            await transaction.ReleaseAsync("lp_tests", ct);
            return passed;
        }
        catch (PostgresException)
        {
            await transaction.RollbackAsync("lp_tests", ct);
            return new HashSet<int>();
        }
    }

    private static DataTestResult Passed(StepConfig step, RenderedTest test) =>
        new(step.Id, test.Config.Name, test.Config.Kind, test.Config.Severity, TestStatus.Passed, 0, [], test.Config.Span);

    private static async Task<DataTestResult> RunOneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StepConfig step,
        RenderedTest test, bool recomputedOnly, CancellationToken ct)
    {
        if (test.PrimaryKeySql is { } primaryKey)
        {
            await using var check = new NpgsqlCommand(primaryKey, connection, transaction);
            if ((bool)(await check.ExecuteScalarAsync(ct))!) return Passed(step, test);
        }
        var offending = recomputedOnly && test.RecomputedSql is { } recomputed ? recomputed : test.Sql;
        // The offending rows as a materialized CTE, which PostgreSQL plans for all its rows: under
        // the LIMIT it planned them for the first few, and a relationships test of 7,500 fact rows
        // merged with the whole parent index (96 ms at 1,000,000 appointments) instead of probing
        // it row by row (21 ms), although the count needs every row anyway.
        var sql = $"WITH offending AS MATERIALIZED ({offending}) SELECT *, count(*) OVER () AS lp_failures FROM offending LIMIT {SampleRows}";
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var samples = new List<IReadOnlyList<KeyValuePair<string, string?>>>();
        long failures = 0;
        while (await reader.ReadAsync(ct))
        {
            failures = reader.GetInt64(reader.FieldCount - 1);
            var row = new List<KeyValuePair<string, string?>>();
            for (var i = 0; i < reader.FieldCount - 1; i++)
            {
                var name = reader.GetName(i);
                var value = reader.IsDBNull(i) ? null : step.Sensitive.Contains(name) ? Mask : Diagnostics.ValueText.Format(reader.GetValue(i));
                row.Add(new(name, value));
            }
            samples.Add(row);
        }
        var status = failures == 0 ? TestStatus.Passed : test.Config.Severity == Severity.Warn ? TestStatus.Warned : TestStatus.Failed;
        return new DataTestResult(step.Id, test.Config.Name, test.Config.Kind, test.Config.Severity, status, failures, samples, test.Config.Span);
    }
}
