using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Server;

/// <summary>
/// The service's secrets and settings (docs/service.md): from an optional JSON file given with
/// <c>--config</c>, kept outside the repository, and from <c>LACREI_*</c> environment variables,
/// which win name by name. Only hashes of tokens and passwords are ever held.
/// </summary>
public sealed record ServiceConfig(
    ImmutableDictionary<string, string> TokenHashes,
    ImmutableDictionary<string, string> Users,
    TimeSpan Session,
    string? DataProtectionKeys,
    bool TrustProxy,
    string? DatabaseUrl)
{
    /// <summary>
    /// The reverse proxies whose <c>X-Forwarded-For</c> is believed (with <see cref="TrustProxy"/>);
    /// from any other address the header is ignored, so a client cannot pick its own address.
    /// </summary>
    public ImmutableArray<System.Net.IPNetwork> KnownProxies { get; init; } = [];

    public const string TokensVariable = "LACREI_API_TOKENS";
    public const string UsersVariable = "LACREI_PORTAL_USERS";
    public const string SessionVariable = "LACREI_SESSION_MINUTES";
    public const string KeysVariable = "LACREI_DATA_PROTECTION_KEYS";
    public const string TrustProxyVariable = "LACREI_TRUST_PROXY";
    public const string KnownProxiesVariable = "LACREI_KNOWN_PROXIES";

    private static readonly string[] FileKeys = ["api_tokens", "users", "session_minutes", "data_protection_keys", "trust_proxy", "known_proxies", "database_url"];

    /// <summary>Reads and checks everything; every problem is reported at once, naming where it came from.</summary>
    public static ServiceConfig Load(string? path, Func<string, string?> env, string projectRoot)
    {
        var problems = new DiagnosticBag();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var users = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var settings = new Dictionary<string, (string Value, string Origin)>();

        if (path is not null) ReadFile(Path.GetFullPath(path), projectRoot, tokens, users, settings, problems);
        ReadPairs(env(TokensVariable), TokensVariable, tokens, TokenTwice, problems);
        ReadPairs(env(UsersVariable), UsersVariable, users, UserTwice, problems);
        foreach (var (key, variable) in new[] { ("session_minutes", SessionVariable), ("data_protection_keys", KeysVariable), ("trust_proxy", TrustProxyVariable),
                     ("known_proxies", KnownProxiesVariable) })
            if (env(variable) is { Length: > 0 } value) settings[key] = (value, variable);

        foreach (var (name, hash) in tokens)
            if (!TokenHash.IsHash(hash))
                problems.Add(null, $"API token '{name}': the value must be the token's SHA-256 in hex (64 characters), not the token",
                    "hash it with: engine hash-password --token < token-file");
        foreach (var (name, hash) in users)
            if (PasswordHash.Problem(hash) is { } problem)
                problems.Add(null, $"portal user '{name}': the password {problem}", "make one with: engine hash-password");

        var minutes = 30;
        if (settings.TryGetValue("session_minutes", out var session)
            && (!int.TryParse(session.Value, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes is < 1 or > 24 * 60))
            problems.Add(null, $"{session.Origin}: session_minutes must be a whole number of minutes from 1 to 1440, not '{session.Value}'");
        var trustProxy = settings.TryGetValue("trust_proxy", out var proxy) && proxy.Value is "true" or "1";
        if (proxy.Value is not (null or "true" or "1" or "false" or "0"))
            problems.Add(null, $"{proxy.Origin}: trust_proxy must be true or false, not '{proxy.Value}'");
        var knownProxies = ReadProxies(settings.GetValueOrDefault("known_proxies"), problems);
        var trustName = proxy.Origin ?? TrustProxyVariable;
        if (trustProxy && knownProxies.IsEmpty && !settings.ContainsKey("known_proxies"))
            problems.Add(null, $"{trustName} is true but {KnownProxiesVariable} names no proxy, so no X-Forwarded-For could be believed",
                $"set {KnownProxiesVariable} to the proxy's address, e.g. 127.0.0.1 (see docs/service.md)");
        if (!trustProxy && settings.TryGetValue("known_proxies", out var known))
            problems.Add(null, $"{known.Origin} is set but {trustName} is not true",
                $"set {TrustProxyVariable}=true to believe X-Forwarded-For from those proxies");

        if (tokens.Count == 0 && users.Count == 0)
            problems.Add(null, "no API token and no portal user is configured, so nobody could use the service",
                $"set {TokensVariable} and/or {UsersVariable}, or pass --config (see docs/service.md)", ErrorKind.Usage);
        problems.ThrowIfAny();
        return new ServiceConfig(tokens.ToImmutableDictionary(), users.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase),
            TimeSpan.FromMinutes(minutes), settings.GetValueOrDefault("data_protection_keys").Value, trustProxy,
            settings.GetValueOrDefault("database_url").Value) { KnownProxies = knownProxies };
    }

    /// <summary><c>known_proxies</c>: addresses (<c>127.0.0.1</c>) and networks (<c>10.0.0.0/24</c>), comma-separated.</summary>
    private static ImmutableArray<System.Net.IPNetwork> ReadProxies((string Value, string Origin) setting, DiagnosticBag problems)
    {
        if (setting.Value is null) return [];
        var networks = ImmutableArray.CreateBuilder<System.Net.IPNetwork>();
        foreach (var entry in setting.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPAddress.TryParse(entry, out var address) && !entry.Contains('/'))
                networks.Add(new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8));
            else if (System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else problems.Add(null, $"{setting.Origin}: '{entry}' is not an IP address or network", "addresses and networks, comma-separated: 127.0.0.1,10.0.0.0/24");
        }
        return networks.ToImmutable();
    }

    /// <summary>
    /// <c>name:value,name:value</c>; values (hex or PBKDF2 text) contain neither ',' nor ':'. A name
    /// given twice is an error: keeping either entry silently would lock out the other's holder.
    /// </summary>
    private static void ReadPairs(string? text, string origin, Dictionary<string, string> into, string twice, DiagnosticBag problems)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        var seen = new Dictionary<string, int>(into.Comparer);
        var entry = 0;
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            entry++;
            var colon = pair.IndexOf(':');
            if (colon <= 0 || colon == pair.Length - 1)
            {
                problems.Add(null, $"{origin}: each entry must be name:hash (entry {entry} is not)", "separate entries with commas");
                continue;
            }
            var name = pair[..colon];
            if (seen.TryGetValue(name, out var first))
                problems.Add(null, $"{origin}: the name '{name}' is given twice (entries {first} and {entry})", twice);
            else seen[name] = entry;
            into[name] = pair[(colon + 1)..];
        }
    }

    private const string TokenTwice = "give each token its own name; the log names a request's token by it";
    private const string UserTwice = "user names ignore case: give each user one entry";

    private static void ReadFile(string path, string projectRoot, Dictionary<string, string> tokens, Dictionary<string, string> users,
        Dictionary<string, (string, string)> settings, DiagnosticBag problems)
    {
        var root = Path.GetFullPath(projectRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (path.StartsWith(root, StringComparison.Ordinal))
        {
            problems.Add(null, $"--config {path}: the file holds secrets and is inside the project folder {root}",
                "keep it outside the repository, e.g. /etc/lacrei-pipeline/service.json", ErrorKind.Usage);
            return;
        }
        if (!File.Exists(path))
        {
            problems.Add(null, $"--config {path}: no such file", kind: ErrorKind.Usage);
            return;
        }
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e)
        {
            // The place goes in the message, not a span: a span would print the line, and it may hold a password.
            var reason = e.Message.Split([" Path:", " LineNumber:"], StringSplitOptions.None)[0];
            problems.Add(null, $"{path}({(e.LineNumber ?? 0) + 1},{(e.BytePositionInLine ?? 0) + 1}): not valid JSON: {reason}");
            return;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) { problems.Add(null, $"{path}: the file must hold one JSON object"); return; }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var where = $"{path}: {property.Name}";
                switch (property.Name)
                {
                    case "api_tokens": ReadMap(property.Value, where, tokens, TokenTwice, problems); break;
                    case "users": ReadMap(property.Value, where, users, UserTwice, problems); break;
                    case "known_proxies" when property.Value.ValueKind == JsonValueKind.Array:
                        if (property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                            settings[property.Name] = (string.Join(",", property.Value.EnumerateArray().Select(e => e.GetString())), where);
                        else problems.Add(null, $"{where}: expected addresses as strings");
                        break;
                    case "session_minutes" or "data_protection_keys" or "trust_proxy" or "known_proxies" or "database_url":
                        if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                            settings[property.Name] = (property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText(), where);
                        else problems.Add(null, $"{where}: expected a single value");
                        break;
                    default:
                        problems.Add(null, $"{where}: unknown key", Suggest.Hint(property.Name, FileKeys, "keys"));
                        break;
                }
            }
        }
    }

    private static void ReadMap(JsonElement element, string where, Dictionary<string, string> into, string twice, DiagnosticBag problems)
    {
        if (element.ValueKind != JsonValueKind.Object) { problems.Add(null, $"{where}: expected an object of name: hash"); return; }
        var seen = new HashSet<string>(into.Comparer);
        foreach (var entry in element.EnumerateObject())
        {
            if (!seen.Add(entry.Name)) problems.Add(null, $"{where}: the name '{entry.Name}' is given twice", twice);
            if (entry.Value.ValueKind == JsonValueKind.String) into[entry.Name] = entry.Value.GetString()!;
            else problems.Add(null, $"{where}.{entry.Name}: expected a string");
        }
    }
}
