using System.Text;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Config;

/// <summary>
/// The key of the pipeline's keyed pseudonyms (SPEC §9.4), read from the environment variable
/// that <c>pseudonym_key:</c> names. It goes to the database only as a bind parameter
/// (Meta/Pseudonyms.cs); <see cref="ToString"/> never shows it, so a log line or an exception
/// that formats this object cannot leak it.
/// </summary>
public sealed class PseudonymKey
{
    /// <summary>HMAC-SHA256 wants a key at least as long as its output (RFC 2104 §3).</summary>
    public const int MinimumBytes = 32;

    private PseudonymKey(string value) => Value = value;

    /// <summary>The key as written in the variable; its UTF-8 bytes are the HMAC key.</summary>
    public string Value { get; }

    public override string ToString() => "[pseudonym key]";

    /// <summary>
    /// What the warehouse keeps to tell this key from another (Meta/0024_pseudonym_key.sql): the
    /// first 32 hex characters of HMAC-SHA256(key, 'lacrei-pipeline:key-fingerprint'), a pseudonym
    /// of a fixed text. Like any pseudonym it does not give the key back.
    /// </summary>
    public string Fingerprint =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Value), "lacrei-pipeline:key-fingerprint"u8))[..32];

    /// <summary>
    /// The key from the variable <c>pseudonym_key:</c> names. A variable that is unset, empty or
    /// shorter than 32 bytes is a configuration error (exit 2) that names the variable, never the value.
    /// </summary>
    public static PseudonymKey Resolve(PipelineConfig config, Func<string, string?> environment)
    {
        var variable = config.PseudonymKey ?? throw new PipelineException(ErrorKind.Config, null,
            "the pipeline computes pseudonyms but pipeline.yaml names no key",
            "add pseudonym_key: NAME_OF_AN_ENVIRONMENT_VARIABLE at the top level of pipeline.yaml");
        var value = environment(variable.Name);
        if (string.IsNullOrEmpty(value))
            throw new PipelineException(ErrorKind.Config, variable.Span,
                $"the pseudonym key is not set: environment variable {variable.Name} is empty or unset",
                $"set {variable.Name} to a secret of at least {MinimumBytes} bytes (e.g. openssl rand -base64 48) and keep it: " +
                "another key gives other pseudonyms (docs/privacy.md)");
        var length = Encoding.UTF8.GetByteCount(value);
        if (length < MinimumBytes)
            throw new PipelineException(ErrorKind.Config, variable.Span,
                $"the pseudonym key in {variable.Name} is {length} bytes long; it must be at least {MinimumBytes}",
                $"set {variable.Name} to a longer secret (e.g. openssl rand -base64 48); changing it requires run --full-refresh (docs/privacy.md)");
        return new PseudonymKey(value);
    }

    /// <summary>A fresh random key, for <c>engine demo</c> on a throwaway database.</summary>
    public static string NewRandom() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
}
