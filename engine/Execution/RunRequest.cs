using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Lacrei.Engine.Execution;

/// <summary>
/// Everything that defines a run, as the user asked for it; stored with the run so that
/// <c>--resume</c> can repeat it (SPEC §5).
/// </summary>
public sealed record RunRequest(
    string? Only = null,
    string? Exclude = null,
    string? From = null,
    string? Target = null,
    ImmutableArray<string> Vars = default,
    string? AsOf = null,
    bool FullRefresh = false,
    bool Atomic = false,
    int Threads = 0,
    string Trigger = "cli",
    bool Wait = false,
    bool Resume = false,
    bool StoreFailures = false,
    bool KeepFailed = false)
{
    public ImmutableArray<string> Vars { get; init; } = Vars.IsDefault ? [] : Vars;
}

[JsonSerializable(typeof(RunRequest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class RunRequestJson : JsonSerializerContext;
