using System.Collections.Frozen;
using System.Globalization;
using Lacrei.Engine.Diagnostics;
using Npgsql;

namespace Lacrei.Engine.Database;

/// <summary>
/// The query parameters of a postgres:// URL, as libpq names them, mapped onto Npgsql's
/// settings. A parameter Npgsql has no equivalent for, or one libpq does not know, is a usage
/// error naming it: a connection option never goes silently unused (a timeout, a root certificate).
/// </summary>
internal static class UrlParameters
{
    private static readonly FrozenDictionary<string, Action<NpgsqlConnectionStringBuilder, string, string>> Mapped =
        new Dictionary<string, Action<NpgsqlConnectionStringBuilder, string, string>>
        {
            ["host"] = (b, _, v) => b.Host = v,
            ["hostaddr"] = (b, _, v) => b.Host = v,
            ["port"] = (b, k, v) => b.Port = Int(k, v, 1, 65535),
            ["dbname"] = (b, _, v) => b.Database = v,
            ["user"] = (b, _, v) => b.Username = v,
            ["password"] = (b, _, v) => b.Password = v,
            ["passfile"] = (b, _, v) => b.Passfile = v,
            ["connect_timeout"] = (b, k, v) => b.Timeout = Int(k, v, 0, 1024),
            ["client_encoding"] = (b, _, v) => b.ClientEncoding = v,
            ["options"] = (b, _, v) => b.Options = v,
            ["application_name"] = (b, _, v) => b.ApplicationName = v,
            ["fallback_application_name"] = (b, _, v) => b.ApplicationName ??= v,
            ["keepalives"] = (b, k, v) => b.TcpKeepAlive = Int(k, v, 0, 1) == 1,
            ["keepalives_idle"] = (b, k, v) => b.TcpKeepAliveTime = Int(k, v, 0, int.MaxValue),
            ["keepalives_interval"] = (b, k, v) => b.TcpKeepAliveInterval = Int(k, v, 0, int.MaxValue),
            ["sslmode"] = (b, k, v) => b.SslMode = Choice<SslMode>(k, v, "disable, allow, prefer, require, verify-ca or verify-full"),
            ["sslcert"] = (b, _, v) => b.SslCertificate = v,
            ["sslkey"] = (b, _, v) => b.SslKey = v,
            ["sslpassword"] = (b, _, v) => b.SslPassword = v,
            ["sslrootcert"] = (b, _, v) => b.RootCertificate = v,
            ["sslnegotiation"] = (b, k, v) => b.SslNegotiation = Choice<SslNegotiation>(k, v, "postgres or direct"),
            ["channel_binding"] = (b, k, v) => b.ChannelBinding = Choice<ChannelBinding>(k, v, "disable, prefer or require"),
            ["gssencmode"] = (b, k, v) => b.GssEncryptionMode = Choice<GssEncryptionMode>(k, v, "disable, prefer or require"),
            ["krbsrvname"] = (b, _, v) => b.KerberosServiceName = v,
            ["target_session_attrs"] = (b, k, v) => b.TargetSessionAttributes =
                v is "any" or "read-write" or "read-only" or "primary" or "standby" or "prefer-standby" ? v
                : throw Invalid(k, v, "any, read-write, read-only, primary, standby or prefer-standby"),
            ["load_balance_hosts"] = (b, k, v) => b.LoadBalanceHosts = v switch
            {
                "disable" => false,
                "random" => true,
                _ => throw Invalid(k, v, "disable or random"),
            },
            ["require_auth"] = (b, _, v) => b.RequireAuth = v,
        }.ToFrozenDictionary();

    /// <summary>libpq parameters that Npgsql cannot honour: refused rather than ignored.</summary>
    private static readonly FrozenSet<string> Unsupported = new[]
    {
        "keepalives_count", "tcp_user_timeout", "sslcrl", "sslcrldir", "sslsni", "sslcompression", "requirepeer",
        "ssl_min_protocol_version", "ssl_max_protocol_version", "min_protocol_version", "max_protocol_version",
        "service", "replication", "gsslib", "gssdelegation", "scram_client_key", "scram_server_key", "sslcertmode",
    }.ToFrozenSet();

    public static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        if (Mapped.TryGetValue(key, out var apply)) apply(builder, key, value);
        else if (Unsupported.Contains(key))
            throw new PipelineException(ErrorKind.Usage, null, $"the connection parameter '{key}' is not supported by this engine",
                "remove it from the URL; the parameters it honours are " + string.Join(", ", Mapped.Keys.Order(StringComparer.Ordinal)));
        else
            throw new PipelineException(ErrorKind.Usage, null, $"the connection URL has an unknown parameter '{key}'",
                Suggest.Hint(key, Mapped.Keys.Concat(Unsupported).Order(StringComparer.Ordinal).ToList(), "libpq parameters"));
    }

    private static int Int(string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Invalid(key, value, $"a whole number from {min} to {max}");

    private static T Choice<T>(string key, string value, string expected) where T : struct, Enum =>
        Enum.TryParse<T>(value.Replace("-", ""), ignoreCase: true, out var choice) && !int.TryParse(value, out _)
            ? choice
            : throw Invalid(key, value, expected);

    // The value is shown except for secrets: a password never reaches an error message.
    private static PipelineException Invalid(string key, string value, string expected) =>
        new(ErrorKind.Usage, null, $"the connection's {key} '{(key is "password" or "sslpassword" ? "***" : value)}' is not valid", $"use {expected}");
}
