using System.Collections.Immutable;

namespace Lacrei.Engine.Config;

/// <summary>What a snapshot does with a key its SELECT no longer returns (<c>hard_deletes:</c>, as dbt's).</summary>
public enum HardDeletes { Invalidate, Ignore, Delete }

/// <summary>
/// A <c>materialize: snapshot</c> step (SCD2, docs/authoring.md "Snapshots"): how a changed row is
/// told apart, by <c>check_cols</c> (the listed columns, or <see cref="AllColumns"/>: every column
/// but the key) or by <c>updated_at</c> (a newer timestamp), and what a vanished key does.
/// </summary>
public sealed record SnapshotConfig(ImmutableArray<string> CheckCols, bool AllColumns, string? UpdatedAt, HardDeletes HardDeletes)
{
    /// <summary>The strategy's name as the meta schema's procedure takes it (0017_snapshots.sql).</summary>
    public string Strategy => UpdatedAt is null ? "check" : "timestamp";
}
