using System.Globalization;

namespace Lacrei.Engine.Sql;

/// <summary>
/// Which source rows changed since an extraction, whatever their cursor says (SPEC §9.2, exact):
/// those written by a transaction that had not ended when that extraction's snapshot was taken.
/// The extraction stores its snapshot's xmin as a 64-bit id, the horizon H (every transaction
/// below it had ended, so it read their rows); a row is new when its inserting transaction
/// (<c>xmin</c>, 32 bits) is at or above H.
/// <para>
/// The 32 → 64-bit step: the row's full id is taken as the largest id ≤ y with the same low 32
/// bits, where y is the newest id the reading snapshot can see (its xmax − 1, stepped back over
/// the three reserved ids at a wraparound). Every visible row's true id T is ≤ y, so the taken id
/// is ≥ T: a row at or above H is never taken as older (no false negative). Only a row older than
/// 2^32 transactions (necessarily frozen) can be taken as newer, and is copied again (harmless).
/// Frozen rows keep their raw xmin (PostgreSQL ≥ 9.4), so they need no other case; the reserved
/// ids 0–2 (frozen by PostgreSQL before 9.4) are old by definition.
/// </para>
/// <para>
/// Per row this is <c>age(xmin)</c> and an integer range test: age(x) − age(y) ≡ y − x
/// (mod 2^32) within one transaction, so "y − x (mod 2^32) ≤ y − H" is "age(x) between age(y)
/// and age(y) + y − H". When that range could wrap (H more than 2^30 transactions back, or
/// ahead of the snapshot: another cluster), every row counts as changed.
/// </para>
/// <para>
/// Only the snapshot's xmin and xmax are used, never its list of running transactions: that list
/// holds no subtransaction ids (a row written in a savepoint has one), and on a hot standby it is
/// empty. y and the bounds are computed in the statement that reads the rows, from the snapshot
/// that statement reads with (in the same-database fallback, a READ COMMITTED step, each
/// statement has its own).
/// </para>
/// </summary>
public static class ChangedRows
{
    private const long TwoTo30 = 1L << 30;

    /// <summary>Whether a row <c>r</c> of the source table was written by a transaction at or after <paramref name="horizon"/>.</summary>
    public static string Condition(long horizon) => Condition(horizon.ToString(CultureInfo.InvariantCulture));

    /// <summary>The same, with the horizon as SQL (<c>render</c> shows a placeholder).</summary>
    public static string Condition(string horizon) =>
        // The upper bound first: most rows are older than the horizon, and stop there (one age() each).
        $"age(r.xmin) <= {Bound(horizon, upper: true)} AND age(r.xmin) >= {Bound(horizon, upper: false)}";

    /// <summary>
    /// Where the source stands: its system identifier, the oids of the table and its partitions or
    /// children, and the xmin of the reading snapshot (the next horizon), in that order.
    /// </summary>
    public static string StateColumns(string tableLiteral) =>
        "(SELECT system_identifier::text FROM pg_control_system()), " +
        $"({WithTables(tableLiteral)} SELECT string_agg(t.oid::text, ',' ORDER BY t.oid) FROM t), " +
        "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    /// <summary>A WITH clause naming <c>t</c> the oids of the table, its partitions and children (inherited, at any depth).</summary>
    public static string WithTables(string tableLiteral) =>
        $"WITH RECURSIVE t AS (SELECT to_regclass({tableLiteral})::oid AS oid UNION SELECT i.inhrelid FROM pg_inherits AS i JOIN t ON i.inhparent = t.oid)";

    /// <summary>The lower (age(y)) or upper (age(y) + y − H) bound of age(xmin) for a changed row.</summary>
    private static string Bound(string h, bool upper)
    {
        var value = upper ? "s.a + s.d" : "s.a";
        var everything = upper ? "2147483647" : "-2147483648";
        return $"(SELECT CASE WHEN s.d BETWEEN 0 AND {TwoTo30 - 1} AND s.a BETWEEN {-TwoTo30} AND {TwoTo30 - 1} THEN {value} ELSE {everything} END::integer " +
               $"FROM (SELECT age((s.y % 4294967296)::text::xid)::bigint AS a, s.y - {h} AS d " +
               "FROM (SELECT s.n - CASE WHEN s.n % 4294967296 < 3 THEN s.n % 4294967296 + 1 ELSE 0 END AS y " +
               "FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - 1 AS n) AS s) AS s) AS s)";
    }

    /// <summary>
    /// The source's clock for a cursor of this type (PostgreSQL's name of it), in the source's
    /// snapshot: <c>now()</c>, <c>localtimestamp</c> or <c>current_date</c>; null when the cursor is not a
    /// time, so no clock applies.
    /// </summary>
    public static string? Clock(string cursorType) => cursorType switch
    {
        _ when cursorType.StartsWith("timestamp", StringComparison.Ordinal) && cursorType.EndsWith(" with time zone", StringComparison.Ordinal) => "now()",
        _ when cursorType.StartsWith("timestamp", StringComparison.Ordinal) => "localtimestamp",
        "date" => "current_date",
        _ => null,
    };

    /// <summary>The same clock as text that reads back as the same value on any server, whatever its TimeZone or DateStyle.</summary>
    public static string? ClockText(string cursorType) => Clock(cursorType) switch
    {
        "now()" => "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'",
        "localtimestamp" => "to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS.US')",
        "current_date" => "to_char(current_date, 'YYYY-MM-DD')",
        _ => null,
    };
}
