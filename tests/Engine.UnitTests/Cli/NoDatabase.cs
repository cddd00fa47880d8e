namespace Lacrei.Engine.Tests.Cli;

/// <summary>An environment with no database configured, whatever the machine has: output that does not depend on one.</summary>
internal static class NoDatabase
{
    public static Dictionary<string, string?> Environment { get; } = new()
    {
        ["DATABASE_URL"] = null, ["PGHOST"] = null, ["PGDATABASE"] = null, ["PGSERVICE"] = null,
    };
}
