using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lacrei.Engine.Server;

/// <summary>The body of <c>GET /api/etl/runs</c>.</summary>
internal sealed record RunList(IReadOnlyList<RunRow> Runs);

/// <summary>
/// The API's typed bodies, serialized by code generated at build time (the engine also ships as
/// a native executable, where JSON by reflection is not available), with the API's options.
/// </summary>
[JsonSerializable(typeof(RunList))]
internal sealed partial class ApiJson : JsonSerializerContext
{
    public static ApiJson Context { get; } = new(new JsonSerializerOptions(ApiEndpoints.Json));
}
