using Lacrei.Engine.Config;

namespace Lacrei.Engine.Templating;

/// <summary>A data test compiled to the query that returns its offending rows.</summary>
public sealed record RenderedTest(DataTestConfig Config, string Sql)
{
    /// <summary>
    /// For an incremental step with a scope: the same test on the rows the run recomputed, used
    /// when the step went on from its last run (as SQLMesh audits only the new interval). Null
    /// when the test needs the whole table.
    /// </summary>
    public string? RecomputedSql { get; init; }

    /// <summary>For a unique test: whether the table's primary key makes it hold (catalog query).</summary>
    public string? PrimaryKeySql { get; init; }

    /// <summary>A custom <c>sql</c> test that calls <c>pseudonym</c>: its transaction needs the key.</summary>
    public bool UsesPseudonyms { get; init; }
}
