using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Lacrei.Engine.Config;

namespace Lacrei.Engine.Templating;

/// <summary>One <c>changes "layer.step" "column" …</c> in a template: the step whose log it reads and the columns besides its key.</summary>
public sealed record ChangeRead(StepId Producer, ImmutableArray<string> Columns);

/// <summary>
/// A step after rendering: the SQL that <c>run</c> sends (materialization included), the steps
/// it references (DAG edges, with where the reference was written) and the SQL's hash.
/// </summary>
public sealed record RenderedStep(StepConfig Step, string Sql, ImmutableArray<StepReference> Refs)
{
    /// <summary>The step's data tests, each as the query that returns its offending rows.</summary>
    public ImmutableArray<RenderedTest> Tests { get; init; } = [];

    /// <summary>
    /// Its not_null, accepted_values and expression tests in one pass over the table (<see cref="Sql.DataTestSql.OnePass"/>),
    /// and over the rows a run that went on from the last one recomputed (a step with a scope); null with fewer than two.
    /// </summary>
    public Sql.OnePassTests? TestsInOnePass { get; init; }

    public Sql.OnePassTests? RecomputedTestsInOnePass { get; init; }

    /// <summary>For an <c>extract</c> step: what to copy from the source and how to merge it.</summary>
    public Sql.ExtractPlan? Extract { get; init; }

    /// <summary>The template files whose rendered text the SQL includes (the step's SQL, its scope), for errors to point back into.</summary>
    public ImmutableArray<TemplateSource> Sources { get; init; } = [];

    /// <summary>The place in a template file of a character of the SQL the step sent, when a template wrote it.</summary>
    public Diagnostics.SourceSpan? TemplateSpanOf(string sent, int offset) =>
        Sources.Select(source => source.Locate(sent, offset)).FirstOrDefault(span => span is not null);

    /// <summary>The SQL reads a source table directly, so unchanged upstream steps do not mean unchanged input.</summary>
    public bool ReadsSources { get; init; }

    /// <summary>
    /// An incremental step with a scope: <see cref="Sql"/> goes on from the last run, this
    /// recomputes everything; <see cref="ReadinessSql"/> says (when the step runs) whether the
    /// first may be used.
    /// </summary>
    public string? FullSql { get; init; }

    public string? ReadinessSql { get; init; }

    /// <summary>The step's <c>indexes:</c>, sent once it has committed (<see cref="Sql.MaterializationSql.Indexes"/>); null when it declares none.</summary>
    public string? IndexSql { get; init; }

    /// <summary>
    /// The step's SQL, scope or data tests compute keyed pseudonyms (<c>pseudonym</c>): its
    /// transaction is handed the key first, and a run that selects it needs one.
    /// </summary>
    public bool UsesPseudonyms
    {
        get => _usesPseudonyms || Tests.Any(t => t.UsesPseudonyms);
        init => _usesPseudonyms = value;
    }

    private readonly bool _usesPseudonyms;

    /// <summary>
    /// The SELECT whose rows fill the table (the whole one, for a step with a scope), as the
    /// template rendered it: what <c>plan --state</c> describes to learn the step's columns.
    /// Null for script and extract steps.
    /// </summary>
    public string? Select { get; init; }

    /// <summary>The steps whose change logs this step reads (with <c>changes</c>).</summary>
    public ImmutableArray<StepId> ChangeProducers => [.. ChangeReads.Select(r => r.Producer).Distinct()];

    /// <summary>Each <c>changes</c> the step's templates read: the producer and the columns besides its key.</summary>
    public ImmutableArray<ChangeRead> ChangeReads { get; init; } = [];

    /// <summary>
    /// The other steps its SQL and scope read (and its depends_on): when one of them changed, the
    /// step recomputes everything. Steps only its data tests read do not count.
    /// </summary>
    public ImmutableArray<StepId> StaticInputs { get; init; } = [];

    public string Hash => _hash ??= Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql + (FullSql is null ? "" : "\n" + FullSql)))).ToLowerInvariant();

    private string? _hash;

    /// <summary>
    /// The hash a normal run of this step would have: what the step's state records and compares.
    /// A <c>--full-refresh</c> sends other SQL (it rebuilds) but leaves the table as a normal run
    /// would, so the next normal run may skip the step or go on from it; with <see cref="Hash"/>
    /// recorded, the run after every full refresh recomputed everything once more.
    /// </summary>
    public string StateHash
    {
        get => _stateHash ?? Hash;
        init => _stateHash = value;
    }

    private readonly string? _stateHash;

    /// <summary>Where the SQL is written before it runs, so that a database error can point into it.</summary>
    public string RenderedPath(string rootDir) =>
        Path.Combine(rootDir, "target", "rendered", Step.Id.Layer, Step.Id.Name + ".sql");
}

/// <summary>
/// A step's SELECT rendered with its inputs bound to stand-in tables (unit tests), and the
/// inputs it read that had none.
/// </summary>
public sealed record BoundSelect(string Sql, TemplateSource Source, ImmutableArray<string> Unbound)
{
    /// <summary>The SELECT computes keyed pseudonyms: its transaction needs the key first.</summary>
    public bool UsesPseudonyms { get; init; }
}
