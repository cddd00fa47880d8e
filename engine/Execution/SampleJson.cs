using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lacrei.Engine.Execution;

/// <summary>
/// The failing rows a data test keeps (its samples), as stored in the run log and read back by
/// the service. Generated at build time: the engine also ships as a native executable, where
/// JSON by reflection is not available.
/// </summary>
[JsonSerializable(typeof(List<Dictionary<string, string?>>))]
[JsonSerializable(typeof(List<Dictionary<string, JsonElement>>))]
internal sealed partial class SampleJson : JsonSerializerContext;
