namespace Lacrei.Engine.Diagnostics;

/// <summary>"Did you mean …?" hints: the nearest candidate by edit distance, if it is close.</summary>
public static class Suggest
{
    public static string? Nearest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        // Farther than about a third of the word is a different word, not a typo.
        return best is not null && bestDistance <= Math.Max(2, value.Length / 3) ? best : null;
    }

    /// <summary>
    /// A hint naming the nearest candidate, else listing the valid ones in the order given
    /// (callers holding a dictionary sort its keys: their enumeration order is not stable).
    /// </summary>
    public static string Hint(string value, IReadOnlyCollection<string> candidates, string what)
    {
        var nearest = Nearest(value, candidates);
        if (nearest is not null) return $"did you mean '{nearest}'?";
        return candidates.Count == 0 ? $"no {what} are defined" : $"known {what}: {string.Join(", ", candidates)}";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
