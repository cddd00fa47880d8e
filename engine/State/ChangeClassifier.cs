using Lacrei.Engine.Config;

namespace Lacrei.Engine.State;

public enum ChangeKind { Breaking, NonBreaking, Unknown }

/// <summary>What a modified step's change means for the steps downstream, and why.</summary>
public sealed record Classification(ChangeKind Kind, IReadOnlyList<string> Reasons);

/// <summary>
/// SQLMesh's categories for a modified step (docs/ci.md): <b>breaking</b> when downstream must
/// rebuild — a column removed or retyped, the key changed, or the SQL changed with the same
/// columns (the values downstream reads may differ); <b>non-breaking</b> when it need not — only
/// columns added, or only its description, tags or tests changed; <b>unknown</b> when the columns
/// now cannot be learnt (no database, or the SELECT cannot be planned) and nothing else decides.
/// </summary>
public static class ChangeClassifier
{
    /// <param name="before">The step as the state's manifest has it (its columns when the state's database was read).</param>
    /// <param name="now">The step now (its hashes and key).</param>
    /// <param name="columns">The columns it gives now; types may be empty when only the names are known (extract steps).</param>
    /// <param name="unknownWhy">Why <paramref name="columns"/> is null.</param>
    public static Classification Classify(ManifestStep before, ManifestStep now, NodeChange change,
        IReadOnlyList<ManifestColumn>? columns, string? unknownWhy)
    {
        var breaking = new List<string>();
        var added = new List<string>();
        if (!before.Key.SequenceEqual(now.Key))
            breaking.Add($"key changed: ({string.Join(", ", before.Key)}) → ({string.Join(", ", now.Key)})");
        var shapesKnown = before.Columns is not null && columns is not null;
        if (shapesKnown)
        {
            var then = before.Columns!.ToDictionary(c => c.Name, c => c.Type);
            var current = columns!.ToDictionary(c => c.Name, c => c.Type);
            foreach (var (name, type) in then)
            {
                if (!current.TryGetValue(name, out var newType)) breaking.Add($"column {name} removed");
                else if (newType.Length > 0 && newType != type) breaking.Add($"column {name} retyped: {type} → {newType}");
            }
            added.AddRange(current.Keys.Where(name => !then.ContainsKey(name)).Select(name => $"column {name} added"));
        }
        if (breaking.Count > 0) return new Classification(ChangeKind.Breaking, [.. breaking, .. added]);

        var sqlChanged = change.Differs.Contains("sql");
        if (!sqlChanged) return new Classification(ChangeKind.NonBreaking, ["only its configuration changed (description, tags, tests or settings), not its SQL or key"]);
        if (!shapesKnown)
            return new Classification(ChangeKind.Unknown,
                [before.Columns is null ? "the state has no columns for it (its database was not read, or the table did not exist)" : unknownWhy ?? "its columns now are unknown"]);
        if (added.Count > 0) return new Classification(ChangeKind.NonBreaking, added);
        return new Classification(ChangeKind.Breaking, ["its SQL changed with the same columns: the values downstream reads may differ"]);
    }

    public static string Text(this ChangeKind kind) => kind switch
    {
        ChangeKind.Breaking => "breaking",
        ChangeKind.NonBreaking => "non_breaking",
        _ => "unknown",
    };
}
