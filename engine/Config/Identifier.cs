using System.Text.RegularExpressions;

namespace Lacrei.Engine.Config;

/// <summary>
/// A validated SQL name (schema, table, column). Every name that reaches SQL from YAML or
/// <c>--var</c> passes through here, so a value such as <c>x"; DROP TABLE y; --</c> is refused
/// before any SQL runs. Names are always emitted quoted, which keeps case and hyphens
/// (the source schema is <c>lacreisaude-relacional</c>).
/// </summary>
public sealed partial record Identifier
{
    private Identifier(string name) => Name = name;

    public string Name { get; }

    /// <summary>The name as SQL: always double-quoted.</summary>
    public string Quoted => $"\"{Name}\"";

    public override string ToString() => Quoted;

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static Identifier Parse(string name) =>
        TryParse(name, out var identifier)
            ? identifier
            : throw new ArgumentException($"invalid SQL identifier '{name}'", nameof(name));

    public static bool TryParse(string? name, out Identifier identifier)
    {
        identifier = null!;
        if (!IsValid(name)) return false;
        identifier = new Identifier(name!);
        return true;
    }

    public const string Rule =
        "a SQL name is 1-63 letters, digits, '_' or '-', starting with a letter or '_'";

    // PostgreSQL truncates names at 63 bytes; a hyphen is allowed because names are always quoted.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex Pattern();
}
