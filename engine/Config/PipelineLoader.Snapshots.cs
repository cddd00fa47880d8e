using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary><c>materialize: snapshot</c> (SCD2, docs/authoring.md "Snapshots"): its strategy and what it refuses.</summary>
public static partial class PipelineLoader
{
    private static readonly string[] SnapshotKeys = ["check_cols", "updated_at", "hard_deletes"];
    private static readonly string[] HardDeleteNames = ["invalidate", "ignore", "delete"];

    private static SnapshotConfig? ReadSnapshot(YamlMappingNode map, YamlNodeReader reader, string what, Materialization materialize,
        ImmutableArray<(string Value, Diagnostics.SourceSpan Span)> key, ImmutableArray<ColumnContract> columns)
    {
        if (materialize != Materialization.Snapshot)
        {
            foreach (var name in SnapshotKeys.Where(k => YamlNodeReader.Get(map, k) is not null))
                reader.Error(YamlNodeReader.Get(map, name)!, $"{what}: '{name}' applies to snapshot steps only", "add 'materialize: snapshot' to keep the history of each key's row");
            return null;
        }
        var materializeNode = YamlNodeReader.Get(map, "materialize")!;
        if (key.IsEmpty)
            reader.Error(materializeNode, $"{what} is a snapshot and needs 'key'", "add 'key: [id]' naming the columns that identify a row across its versions");
        foreach (var (name, hint) in new[]
                 {
                     ("cursor", "a snapshot reads its whole SELECT every run; to make a new version when a timestamp grows, write updated_at: <column>"),
                     ("scope", "a snapshot reads its whole SELECT every run and keeps history; remove 'scope'"),
                     ("delete_missing", "a snapshot's vanished keys follow hard_deletes: invalidate (the default), ignore or delete"),
                 })
            if (YamlNodeReader.Get(map, name) is { } node) reader.Error(node, $"{what}: a snapshot has no '{name}'", hint);

        var checkNode = YamlNodeReader.Get(map, "check_cols");
        var all = checkNode is YamlScalarNode { Value: "all" };
        var checkCols = all ? [] : reader.StringList(map, "check_cols", what);
        var updatedAt = reader.String(map, "updated_at", what);
        if (checkNode is null && updatedAt is null)
            reader.Error(materializeNode, $"{what} is a snapshot and needs 'check_cols' or 'updated_at'",
                "check_cols: [specialty, state] makes a new version when one of those columns changes (check_cols: all: any column but the key); updated_at: <column> when the row's timestamp grows");
        if (checkNode is not null && updatedAt is not null)
            reader.Error(YamlNodeReader.Get(map, "updated_at")!, $"{what}: 'check_cols' and 'updated_at' are two ways of telling a new version; keep one",
                "updated_at misses an update that does not move the timestamp; check_cols compares the columns themselves");
        if (checkNode is not null && !all && checkCols.IsEmpty)
            reader.Error(checkNode, $"{what}: 'check_cols' lists no column", "list the columns whose change makes a new version, or write check_cols: all");

        foreach (var (column, span) in checkCols.Where(c => !Identifier.IsValid(c.Value)))
            reader.ErrorAt(span, $"{what}: check column '{column}' is not a valid SQL name", Identifier.Rule);
        if (updatedAt is not null && !Identifier.IsValid(updatedAt))
            reader.Error(YamlNodeReader.Get(map, "updated_at")!, $"{what}: updated_at '{updatedAt}' is not a valid SQL name", Identifier.Rule);
        CheckDeclared(reader, what, columns, key.Select(k => ("key column", k.Value, k.Span))
            .Concat(checkCols.Select(c => ("check column", c.Value, c.Span)))
            .Concat(updatedAt is null ? [] : [("updated_at column", updatedAt, reader.SpanOf(YamlNodeReader.Get(map, "updated_at")!))]));

        return new SnapshotConfig(checkCols.Select(c => c.Value).ToImmutableArray(), all, updatedAt, ReadHardDeletes(map, reader, what));
    }

    /// <summary>
    /// When the step declares its columns, the ones the snapshot needs are among them (the SELECT is
    /// checked at run time). Declaring valid_from and valid_to, the columns the snapshot adds, describes them.
    /// </summary>
    private static void CheckDeclared(YamlNodeReader reader, string what, ImmutableArray<ColumnContract> columns,
        IEnumerable<(string Role, string Name, Diagnostics.SourceSpan Span)> needed)
    {
        if (columns.IsEmpty) return;
        var declared = columns.Select(c => c.Name).ToList();
        foreach (var (role, name, span) in needed.Where(n => !declared.Contains(n.Name)))
            reader.ErrorAt(span, $"{what}: {role} '{name}' is not among the step's columns", Diagnostics.Suggest.Hint(name, declared, "columns"));
    }

    private static HardDeletes ReadHardDeletes(YamlMappingNode map, YamlNodeReader reader, string what)
    {
        if (reader.String(map, "hard_deletes", what) is not { } text) return HardDeletes.Invalidate;
        var index = Array.IndexOf(HardDeleteNames, text);
        if (index >= 0) return (HardDeletes)index;
        reader.Error(YamlNodeReader.Get(map, "hard_deletes")!, $"{what}: hard_deletes '{text}' is not one of {string.Join(", ", HardDeleteNames)}",
            Diagnostics.Suggest.Hint(text, HardDeleteNames, "values"));
        return HardDeletes.Invalidate;
    }
}
