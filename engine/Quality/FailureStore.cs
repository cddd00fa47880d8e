using System.Security.Cryptography;
using System.Text;
using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Templating;
using Npgsql;

namespace Lacrei.Engine.Quality;

/// <summary>
/// Keeps what failed in the failures schema (<see cref="Project.FailuresSchema"/>), each table
/// replaced on every run, sensitive columns masked (lp_store_failures, 0016_views.sql):
/// the offending rows of a test with <c>store_failures: true</c> (or every test, with
/// <c>--store-failures</c>) as <c>layer__step__test</c>, and with <c>--keep-failed</c> the rows of
/// a step that failed its tests as <c>layer__step</c>, instead of nothing after the rollback.
/// </summary>
public sealed class FailureStore(Project project, bool storeEveryTest, bool keepFailedSteps)
{
    /// <summary>The step-local copy of a failed step's rows, which its tests are run against again after the rollback.</summary>
    private const string FailedRows = "lp_failed_rows";

    public static FailureStore None(Project project) => new(project, false, false);

    public bool Stores(RenderedTest test) => storeEveryTest || test.Config.StoreFailures;

    /// <summary>Whether a step that failed its tests leaves anything here (a step the engine fills from a SELECT).</summary>
    public bool KeepsAfterFailure(RenderedStep step) =>
        SelectOf(step) is not null && (keepFailedSteps || step.Tests.Any(Stores));

    /// <summary>The table that holds a test's offending rows.</summary>
    public string TestTable(StepConfig step, DataTestConfig test) => Table($"{step.Id.Layer}__{step.Id.Name}__{test.Name}");

    /// <summary>The table that holds the rows of a step that failed its tests (<c>--keep-failed</c>).</summary>
    public string StepTable(StepConfig step) => Table($"{step.Id.Layer}__{step.Id.Name}");

    /// <summary>In the step's transaction, after its tests passed (or only warned): its stored tests' offending rows, committed with it.</summary>
    public async Task<long> StoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RenderedStep step, CancellationToken ct)
    {
        var stored = step.Tests.Where(Stores).ToList();
        if (stored.Count == 0) return 0;
        var sql = new StringBuilder(CreateSchema);
        foreach (var test in stored) sql.Append(Call(TestTable(step.Step, test.Config), test.Sql, step.Step));
        return await SendAsync(connection, transaction, sql.ToString(), ct);
    }

    /// <summary>
    /// After a step failed its tests and was rolled back, in a transaction of its own: the step's
    /// SELECT again into a step-local table, its stored tests against it, and with --keep-failed
    /// the rows themselves. A replace or view step keeps exactly what it would have published; an
    /// upsert or incremental step, the rows its whole SELECT returns.
    /// </summary>
    public async Task<long> KeepAfterFailureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RenderedStep step, CancellationToken ct)
    {
        var select = SelectOf(step) ?? throw new InvalidOperationException($"{step.Step.Id} has no SELECT to keep");
        var sql = new StringBuilder(CreateSchema);
        sql.Append($"CREATE TEMP TABLE {FailedRows} ON COMMIT DROP AS\n{select}\n;\n");
        var table = project.TableOf(step.Step);
        // The tests' SQL names the step's table exactly so (quoted, schema-qualified): here it reads the rebuilt rows.
        foreach (var test in step.Tests.Where(Stores))
            sql.Append(Call(TestTable(step.Step, test.Config), test.Sql.Replace(table, FailedRows, StringComparison.Ordinal), step.Step));
        if (keepFailedSteps) sql.Append(Call(StepTable(step.Step), $"SELECT * FROM {FailedRows}", step.Step));
        return await SendAsync(connection, transaction, sql.ToString(), ct);
    }

    private string CreateSchema => $"CREATE SCHEMA IF NOT EXISTS {project.FailuresSchema.Quoted};\n";

    private string Call(string table, string query, StepConfig step) =>
        $"CALL {project.MetaSchema.Quoted}.lp_store_failures(p_table => {SqlText.Literal(table)}, p_query => {SqlText.Literal(query)}, " +
        $"p_sensitive => ARRAY[{string.Join(", ", step.Sensitive.Select(SqlText.Literal))}]::text[]);\n";

    /// <summary>The SELECT whose rows fill the step (the whole one for an incremental step with a scope); null for scripts and extracts.</summary>
    private static string? SelectOf(RenderedStep step) =>
        step.Step.Materialize is Materialization.Script or Materialization.Extract || step.Sources.IsEmpty ? null
        : SqlText.TrimStatement(step.Sources[^1].Rendered).Trim();

    /// <summary>A table name from a step and test name: what PostgreSQL accepts unquoted, at most 63 bytes, distinct when cut.</summary>
    private string Table(string name)
    {
        var safe = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray()).Trim('_');
        while (safe.Contains("___", StringComparison.Ordinal)) safe = safe.Replace("___", "__", StringComparison.Ordinal);
        if (safe.Length > 63)
            safe = safe[..54] + "_" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();
        return $"{project.FailuresSchema.Quoted}.{Identifier.Parse(safe).Quoted}";
    }

    private static async Task<long> SendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = 0 };
        foreach (var statement in Sql.SqlStatements.Split(sql)) batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text(sql)));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        long rows = 0;
        do
        {
            if (await MetaAnswer.ReadAsync(reader, ct) is { } answer) rows += answer.Rows;
        } while (await reader.NextResultAsync(ct));
        return rows;
    }
}
