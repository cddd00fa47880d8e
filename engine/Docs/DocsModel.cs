using System.Text.Json;
using System.Text.Json.Serialization;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Docs;

/// <summary>
/// Everything the docs site shows, gathered once: the pipeline's steps and edges (from the
/// workspace, no database needed) and, when a database answers, each step's columns, last data
/// test outcomes and last run. Serialized into the page as JSON, so it is also the contract the
/// site's script and the tests read.
/// </summary>
public sealed record DocsSite(
    string Pipeline,
    string GeneratedAt,
    string AsOf,
    string? Target,
    DatabaseStatus Database,
    IReadOnlyList<LayerDoc> Layers,
    IReadOnlyList<StepDoc> Steps,
    IReadOnlyList<EdgeDoc> Edges,
    string? LastRunId);

/// <summary>Whether columns, test results and timings could be read, and why not.</summary>
public sealed record DatabaseStatus(bool Available, string Message);

public sealed record LayerDoc(string Name, string Schema, int Steps);

public sealed record EdgeDoc(string From, string To);

public sealed record StepDoc(
    string Id,
    string Layer,
    string Name,
    string Table,
    string Materialize,
    IReadOnlyList<string> Key,
    string? Description,
    IReadOnlyList<string> Tags,
    string SqlPath,
    IReadOnlyList<string> Upstream,
    IReadOnlyList<string> Downstream,
    IReadOnlyList<TestDoc> Tests,
    StepRunDoc? LastRun)
{
    /// <summary>The rendered SQL; shown in the step's page, not repeated in the graph's JSON.</summary>
    [JsonIgnore] public string Sql { get; init; } = "";

    /// <summary>Null when no database was read, empty when the table does not exist yet.</summary>
    [JsonIgnore] public IReadOnlyList<ColumnDoc>? Columns { get; init; }
}

public sealed record ColumnDoc(string Name, string Type, bool NotNull, bool IsKey, string? Comment);

/// <summary>A declared data test and, when the run log has one, its last outcome.</summary>
public sealed record TestDoc(string Name, string Kind, string Severity, TestOutcome? Last);

public sealed record TestOutcome(string Status, long Failures, DateTime CheckedAt, string RunId, string? Error);

/// <summary>The step's most recent row in the run log (SPEC §6), whatever run it was part of.</summary>
public sealed record StepRunDoc(string RunId, [property: JsonConverter(typeof(StatusJson))] StepStatus Status, long Rows, double Seconds,
    DateTime? FinishedAt, string? Error);

/// <summary>A status in the page's JSON as the run log writes it ("success"), not as a number.</summary>
internal sealed class StatusJson() : JsonStringEnumConverter<StepStatus>(JsonNamingPolicy.CamelCase);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DocsSite))]
internal sealed partial class DocsJson : JsonSerializerContext;
