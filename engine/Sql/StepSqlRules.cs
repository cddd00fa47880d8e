using System.Collections.Immutable;

namespace Lacrei.Engine.Sql;

/// <summary>What is wrong with a step's SQL, at a character offset of the rendered text.</summary>
public sealed record SqlProblem(int Offset, string Message, string Hint);

/// <summary>
/// SPEC §6: a step runs in one transaction that the engine commits, so no step may control the
/// transaction itself; and the SQL of a step whose rows the engine writes is exactly one SELECT,
/// so that nothing but that SELECT runs.
/// </summary>
public static class StepSqlRules
{
    private static readonly (string Leading, string Hint)[] TransactionControl =
    [
        ("BEGIN", "each step already runs in one transaction; the engine begins and commits it"),
        ("START TRANSACTION", "each step already runs in one transaction; the engine begins and commits it"),
        ("COMMIT", "the engine commits the step when it succeeds; use --atomic to commit a whole run at once"),
        ("END", "the engine commits the step when it succeeds; use --atomic to commit a whole run at once"),
        ("ROLLBACK", "a failing statement already rolls back the whole step"),
        ("ABORT", "a failing statement already rolls back the whole step"),
        ("SAVEPOINT", "a step is all or nothing; split it into two steps instead"),
        ("RELEASE", "a step is all or nothing; split it into two steps instead"),
        ("PREPARE TRANSACTION", "two-phase commit is not supported in a step"),
        ("SET TRANSACTION", "the engine sets up the step's transaction; use settings: in pipeline.yaml for SET LOCAL values"),
        ("SET SESSION CHARACTERISTICS", "the engine sets up the step's transaction; use settings: in pipeline.yaml for SET LOCAL values"),
        ("VACUUM", "VACUUM cannot run inside a transaction; the engine analyzes tables it wrote, and autovacuum does the rest"),
        ("CREATE INDEX CONCURRENTLY", "CONCURRENTLY cannot run inside a transaction; declare the index with indexes: on the step"),
        ("CREATE UNIQUE INDEX CONCURRENTLY", "CONCURRENTLY cannot run inside a transaction; declare the index with indexes: on the step"),
        ("DROP INDEX CONCURRENTLY", "CONCURRENTLY cannot run inside a transaction; drop the index without it"),
        ("REINDEX", "REINDEX belongs in maintenance, not in a step"),
        ("CLUSTER", "CLUSTER belongs in maintenance, not in a step"),
        ("CREATE DATABASE", "databases are created outside the pipeline"),
        ("DROP DATABASE", "databases are dropped outside the pipeline"),
        ("ALTER SYSTEM", "server settings are changed outside the pipeline"),
        ("CREATE TABLESPACE", "tablespaces are created outside the pipeline"),
        ("DROP TABLESPACE", "tablespaces are dropped outside the pipeline"),
        ("DISCARD", "DISCARD would throw away the step's temporary tables"),
    ];

    private static readonly string[] SelectStarts = ["SELECT", "WITH", "VALUES", "TABLE"];
    private static readonly string[] Writes = ["INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE"];

    /// <summary>The first statement that would end, nest or escape the step's transaction.</summary>
    /// <param name="what">How the problem names the step: "step 'mart.x'".</param>
    public static SqlProblem? FindTransactionControl(ImmutableArray<SqlStatement> statements, string what)
    {
        foreach (var statement in statements)
            foreach (var (leading, hint) in TransactionControl)
            {
                var count = leading.Count(c => c == ' ') + 1;
                if (statement.Leading(count) == leading)
                    return new SqlProblem(statement.Words[0].Offset, $"{what}: {leading} is transaction control, which a step may not contain", hint);
            }
        return null;
    }

    /// <summary>Anything but exactly one SELECT (with CTEs) that writes nothing.</summary>
    /// <param name="what">How the problem names the step: "step 'mart.x' (upsert)".</param>
    public static SqlProblem? FindNotOneSelect(ImmutableArray<SqlStatement> statements, string what)
    {
        const string hint = "write one SELECT (it may start with WITH); put other statements in a script step, one-time DDL in a migration";
        if (statements.IsEmpty) return new SqlProblem(0, $"{what} has no SELECT", hint);
        var first = statements[0];
        if (!SelectStarts.Contains(first.Words[0].Text))
            return new SqlProblem(first.Words[0].Offset, $"{what} must be one SELECT, found {first.Leading(2)}", hint);
        if (statements.Length > 1)
            return new SqlProblem(statements[1].Words[0].Offset,
                $"{what} must be exactly one SELECT, found a second statement: {statements[1].Leading(2)}", hint);
        for (var i = 0; i < first.Words.Length; i++)
        {
            var word = first.Words[i];
            // FOR UPDATE / FOR NO KEY UPDATE lock rows; they write nothing.
            var locking = word.Text == "UPDATE" && i > 0 && first.Words[i - 1].Text is "FOR" or "KEY";
            if (Writes.Contains(word.Text) && !locking)
                return new SqlProblem(word.Offset, $"{what} must be a SELECT that writes nothing, found {word.Text}", hint);
            if (word.Text == "INTO" && word.Depth == 0)
                return new SqlProblem(word.Offset, $"{what} must be a SELECT that writes nothing, found SELECT … INTO", hint);
        }
        return null;
    }
}
