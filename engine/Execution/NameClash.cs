using System.Text;
using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Execution;

/// <summary>
/// PostgreSQL names what it creates beside a table from the table's name cut to 63 bytes: the
/// row type's array <c>_name</c> (62 bytes of the name) and the primary key <c>name_pkey</c> (58).
/// Two steps whose tables differ only past that point collide when they are created at the same
/// time, and the server says only "duplicate key … pg_type_typname_nsp_index". This names both
/// steps (issue 20); <c>validate</c> refusing such names is the run-semantics issue's.
/// </summary>
internal static class NameClash
{
    private const int NameBytes = 63;

    /// <summary>The message and hint when <paramref name="error"/> is such a collision of <paramref name="failed"/>'s table; otherwise null.</summary>
    public static (string Message, string Hint)? Explain(PostgresException error, StepConfig failed, Project project)
    {
        if (error.SqlState != PostgresErrorCodes.UniqueViolation
            || error.ConstraintName is not ("pg_type_typname_nsp_index" or "pg_class_relname_nsp_index")) return null;
        foreach (var other in project.Config.Steps)
        {
            if (other.Id == failed.Id || other.Materialize == Materialization.Script || other.Table == failed.Table || project.SchemaOf(other) != project.SchemaOf(failed)) continue;
            var (what, name, bytes) = Clash(failed, other);
            if (name is null) continue;
            var (first, second) = string.CompareOrdinal(failed.Id.ToString(), other.Id.ToString()) < 0 ? (failed, other) : (other, failed);
            return ($"the tables of {first.Id} and {second.Id} have names PostgreSQL cuts to the same '{name}' when it names their {what}, " +
                    $"so they cannot be created at the same time ({error.MessageText})",
                $"shorten one of the two step names (or set table:) so that their first {bytes} characters differ");
        }
        return null;
    }

    private static (string What, string? Name, int Bytes) Clash(StepConfig a, StepConfig b)
    {
        const int array = NameBytes - 1, pkey = NameBytes - 5; // "_" before, "_pkey" after
        if (Clip(a.Table, array) == Clip(b.Table, array)) return ("row types", "_" + Clip(a.Table, array), array);
        if (!a.Key.IsEmpty && !b.Key.IsEmpty && Clip(a.Table, pkey) == Clip(b.Table, pkey)) return ("primary keys", Clip(a.Table, pkey) + "_pkey", pkey);
        return ("", null, 0);
    }

    /// <summary>The longest prefix of <paramref name="name"/> within <paramref name="bytes"/> UTF-8 bytes, cut between characters as PostgreSQL does.</summary>
    private static string Clip(string name, int bytes)
    {
        if (Encoding.UTF8.GetByteCount(name) <= bytes) return name;
        var length = 0;
        var used = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > bytes) break;
            used += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }
        return name[..length];
    }
}
