using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Lacrei.Engine.Server;

/// <summary>
/// Portal passwords as PBKDF2-HMAC-SHA256 hashes in the text form
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (salt and hash in base64), which is what
/// <c>engine hash-password</c> prints and the configuration holds.
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>OWASP's current advice for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Fewer iterations than this are refused when the configuration is read.</summary>
    public const int MinimumIterations = 210_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        if (iterations < MinimumIterations) throw new ArgumentOutOfRangeException(nameof(iterations), $"at least {MinimumIterations}");
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Null when the text is a well-formed hash; otherwise what is wrong with it.</summary>
    public static string? Problem(string text)
    {
        if (TryParse(text, out _, out _, out _)) return null;
        return text.StartsWith(Scheme + "$", StringComparison.Ordinal)
            ? $"is not {Scheme}$iterations$salt$hash with at least {MinimumIterations} iterations"
            : $"is not a {Scheme} hash";
    }

    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var iterations, out var salt, out var expected)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the same time as a real check, so a login for an unknown user is not faster than a wrong password.</summary>
    public static void VerifyNothing(string password) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), new byte[SaltBytes], DefaultIterations, HashAlgorithmName.SHA256, HashBytes);

    private static bool TryParse(string text, out int iterations, out byte[] salt, out byte[] hash)
    {
        (iterations, salt, hash) = (0, [], []);
        var parts = text.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinimumIterations) return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException) { return false; }
        return salt.Length >= 8 && hash.Length >= 16;
    }
}

/// <summary>
/// API tokens are configured as the hex SHA-256 of the token, never the token itself; a
/// presented token is hashed and compared in constant time with every configured hash.
/// </summary>
public static class TokenHash
{
    /// <summary>Shorter tokens are refused by <c>engine hash-password --token</c>: they could be guessed.</summary>
    public const int MinimumLength = 32;

    public static string Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool IsHash(string text) => text.Length == 64 && text.All(Uri.IsHexDigit);

    /// <summary>The name of the token whose hash matches, or null.</summary>
    public static string? Match(string token, IReadOnlyDictionary<string, string> hashesByName)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        string? match = null;
        // Every hash is compared, so the time taken does not tell which one was close.
        foreach (var (name, hex) in hashesByName)
            if (CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(hex)) && match is null) match = name;
        return match;
    }
}
