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

    /// <summary>What a secret var's value is stored as.</summary>
    public const string Hidden = "***";

    /// <summary>
    /// The request as the run log keeps it (SPEC §9.6): the value of a var named in
    /// <c>secret_vars</c>, or that holds a connection string, is <see cref="Hidden"/>.
    /// </summary>
    public RunRequest WithoutSecrets(IReadOnlyCollection<string> secretVars) => this with
    {
        Vars = [.. Vars.Select(v => v.Split('=', 2) is [var name, var value] && (secretVars.Contains(name) || IsConnectionString(value)) ? $"{name}={Hidden}" : v)],
    };

    /// <summary>A postgres:// URL with a user, or a key=value connection string with a password.</summary>
    private static bool IsConnectionString(string value) =>
        (value.Contains("://", StringComparison.Ordinal) && value.Contains('@', StringComparison.Ordinal))
        || value.Contains("password=", StringComparison.OrdinalIgnoreCase);

    /// <summary>The key under which a stored run's options (runs.options) say whether it was a full refresh.</summary>
    public static string FullRefreshOption => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(nameof(FullRefresh));

    /// <summary>Vars as stored, less those stored hidden: a resumed run takes those from pipeline.yaml or a new --var.</summary>
    public ImmutableArray<string> StoredVars => [.. Vars.Where(v => !v.EndsWith("=" + Hidden, StringComparison.Ordinal))];
}

[JsonSerializable(typeof(RunRequest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class RunRequestJson : JsonSerializerContext;
