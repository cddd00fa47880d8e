using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Lacrei.Engine.Tests;

/// <summary>
/// The pseudonym key of the test process (SPEC §9.4): random per process, set in
/// LACREI_PSEUDONYM_KEY before any test runs, so every in-process <c>engine</c> call finds it
/// (tests run in parallel in one process and share it). A test that wants no key or another key
/// passes the variable in its own environment.
/// </summary>
public static class TestPseudonyms
{
    public const string Variable = "LACREI_PSEUDONYM_KEY";

    public static string Key { get; private set; } = "";

    [ModuleInitializer]
    internal static void SetProcessKey()
    {
        Key = Environment.GetEnvironmentVariable(Variable) is { Length: >= 32 } given
            ? given
            : "test-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(36));
        Environment.SetEnvironmentVariable(Variable, Key);
    }

    /// <summary>The entities whose ids the Lacrei model holds as pseudonyms.</summary>
    public static readonly string[] Entities = ["patient", "profile", "appointment", "report", "cancellation"];

    /// <summary>
    /// The source id a pseudonym of the test key stands for, among ids 1 to 2,000 of every entity
    /// (the hand-written fixtures' ids); null for any other text. Lets a test state expectations in
    /// source ids while the model holds pseudonyms.
    /// </summary>
    public static string? SourceIdOf(string pseudonym) => Reverse.Value.GetValueOrDefault(pseudonym);

    private static readonly Lazy<Dictionary<string, string>> Reverse = new(() =>
        Entities.SelectMany(entity => Enumerable.Range(1, 2000).Select(id => (Pseudonym: Of(entity, id), Id: id.ToString())))
            .ToDictionary(p => p.Pseudonym, p => p.Id));

    /// <summary>The pseudonym as SPEC §9.4 defines it, computed by .NET: left(hex(HMAC-SHA256(key, 'entity:id')), 32).</summary>
    public static string Of(string entity, object id, string? key = null) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key ?? Key), Encoding.UTF8.GetBytes($"{entity}:{id}")))[..32];
}
