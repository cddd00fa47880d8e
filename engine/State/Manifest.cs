using System.Text.Json.Serialization;

namespace Lacrei.Engine.State;

/// <summary>A column of a step's table, as PostgreSQL names its type (<c>format_type</c>).</summary>
public sealed record ManifestColumn(string Name, string Type);

/// <summary>
/// One step as the manifest records it. <see cref="SqlHash"/> and <see cref="ConfigHash"/> do
/// not depend on the target: the SQL is hashed as rendered with every schema named by its key
/// and a fixed run date, so the same code hashes the same in production and in CI.
/// </summary>
/// <param name="Columns">The table's columns when the database was read; null when unknown.</param>
public sealed record ManifestStep(
    string Step,
    string Layer,
    string Table,
    string Materialize,
    IReadOnlyList<string> Key,
    IReadOnlyList<string> Upstream,
    IReadOnlyList<string> Tags,
    string SqlHash,
    string ConfigHash,
    IReadOnlyList<ManifestColumn>? Columns);

/// <summary>A seed file and the hash its load records.</summary>
public sealed record ManifestSeed(string Seed, string Hash);

/// <summary>The target the manifest was written for: <c>--defer</c> reads unselected steps from these schemas.</summary>
public sealed record ManifestTarget(string? Name, IReadOnlyDictionary<string, string> Schemas, IReadOnlyDictionary<string, string> Sources);

/// <summary>
/// <c>manifest.json</c>: what a run (or <c>plan --write-state</c>) saw of the project, for a
/// later <c>--state DIR</c> to compare with (docs/ci.md).
/// </summary>
public sealed record Manifest(
    int ManifestVersion,
    string Pipeline,
    string GeneratedAt,
    string? RunId,
    ManifestTarget Target,
    IReadOnlyList<ManifestStep> Steps,
    IReadOnlyList<ManifestSeed> Seeds)
{
    /// <summary>The shape of this file; a reader refuses another.</summary>
    public const int CurrentVersion = 1;

    public const string FileName = "manifest.json";
}

[JsonSerializable(typeof(Manifest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class ManifestJson : JsonSerializerContext;
