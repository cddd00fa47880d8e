using System.Security.Cryptography;
using System.Text;

namespace Lacrei.Engine.Config;

/// <summary>
/// The names PostgreSQL gives the objects of a step's table, as the server truncates them to 63
/// bytes. Two steps whose names collide would overwrite each other, skip an index silently, or
/// race for a catalog name when they run in parallel; validate refuses that instead.
/// </summary>
public static class RelationNames
{
    private const int MaxBytes = 63;

    /// <summary>The name of the index <c>indexes: [[a, b]]</c> builds on a table (hashed when too long).</summary>
    public static string Index(string table, IEnumerable<string> columns)
    {
        var name = $"{table}_{string.Join("_", columns)}_idx";
        if (name.Length <= MaxBytes) return name;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();
        return $"{name[..50]}_{hash}_idx";
    }

    /// <summary>Names in pg_class (tables, their primary key index, their indexes), which share one namespace per schema.</summary>
    public static IEnumerable<(string Name, string What)> Relations(StepConfig step)
    {
        yield return (step.Table, $"table {step.Table}");
        // The primary key's index: the table's name cut to leave room for "_pkey" (PostgreSQL's ChooseRelationName).
        if (!step.Key.IsEmpty || step.Extract is not null) yield return (Truncate(step.Table, MaxBytes - 5) + "_pkey", "primary key index");
        foreach (var columns in step.Indexes) yield return (Index(step.Table, columns), $"index on ({string.Join(", ", columns)})");
    }

    /// <summary>Names in pg_type: the table's row type and its array type, "_" and the name cut to 62 bytes.</summary>
    public static IEnumerable<(string Name, string What)> Types(StepConfig step)
    {
        yield return (step.Table, $"row type of table {step.Table}");
        yield return ("_" + Truncate(step.Table, MaxBytes - 1), $"array type of table {step.Table}");
    }

    private static string Truncate(string name, int bytes) => name.Length <= bytes ? name : name[..bytes];
}
