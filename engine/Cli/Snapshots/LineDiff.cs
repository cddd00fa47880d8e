using System.Text;

namespace Lacrei.Engine.Cli.Snapshots;

/// <summary>
/// A line diff (Myers' O((N+M)·D) shortest edit script) printed as a unified diff with three
/// lines of context, the format reviewers know from git; small enough not to need a package.
/// </summary>
internal static class LineDiff
{
    private enum Op { Same, Removed, Added }

    private readonly record struct Edit(Op Op, int Old, int New);

    /// <summary>The unified diff from <paramref name="before"/> to <paramref name="after"/>; empty when they are equal.</summary>
    public static string Unified(string before, string after, string beforeName, string afterName, int context = 3)
    {
        var a = Lines(before);
        var b = Lines(after);
        var edits = Script(a, b);
        if (edits.All(e => e.Op == Op.Same)) return "";
        var text = new StringBuilder().Append($"--- {beforeName}\n+++ {afterName}\n");
        foreach (var (start, end) in Hunks(edits, context))
        {
            var hunk = edits.GetRange(start, end - start);
            var oldStart = hunk.FirstOrDefault(e => e.Op != Op.Added, new Edit(Op.Same, -1, -1)).Old;
            var newStart = hunk.FirstOrDefault(e => e.Op != Op.Removed, new Edit(Op.Same, -1, -1)).New;
            var oldCount = hunk.Count(e => e.Op != Op.Added);
            var newCount = hunk.Count(e => e.Op != Op.Removed);
            text.Append($"@@ -{Range(oldStart, oldCount, hunk[0].Old)} +{Range(newStart, newCount, hunk[0].New)} @@\n");
            foreach (var edit in hunk)
                text.Append(edit.Op switch
                {
                    Op.Same => " " + a[edit.Old],
                    Op.Removed => "-" + a[edit.Old],
                    _ => "+" + b[edit.New],
                }).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>"start,count" with 1-based start; an empty side names the line before it, as diff -u does.</summary>
    private static string Range(int start, int count, int fallback) =>
        count == 0 ? $"{Math.Max(0, fallback)},0" : $"{start + 1},{count}";

    private static string[] Lines(string text)
    {
        if (text.Length == 0) return [];
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>Ranges of the edit script to print: each change with its context, near ones merged.</summary>
    private static IEnumerable<(int Start, int End)> Hunks(List<Edit> edits, int context)
    {
        var changed = Enumerable.Range(0, edits.Count).Where(i => edits[i].Op != Op.Same).ToList();
        var start = Math.Max(0, changed[0] - context);
        var end = Math.Min(edits.Count, changed[0] + context + 1);
        foreach (var i in changed.Skip(1))
        {
            if (i - context <= end) { end = Math.Min(edits.Count, i + context + 1); continue; }
            yield return (start, end);
            (start, end) = (i - context, Math.Min(edits.Count, i + context + 1));
        }
        yield return (start, end);
    }

    /// <summary>Myers' greedy algorithm, keeping each round's frontier to walk the path back.</summary>
    private static List<Edit> Script(string[] a, string[] b)
    {
        int n = a.Length, m = b.Length, max = n + m, offset = max + 1;
        var v = new int[2 * max + 3];
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y]) (x, y) = (x + 1, y + 1);
                v[offset + k] = x;
                if (x >= n && y >= m) return Backtrack(trace, n, m, offset);
            }
        }
        throw new InvalidOperationException("unreachable: a path always ends within N+M rounds");
    }

    private static List<Edit> Backtrack(List<int[]> trace, int n, int m, int offset)
    {
        var edits = new List<Edit>();
        int x = n, y = m;
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            var v = trace[d];
            var k = x - y;
            var previousK = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
            var previousX = d == 0 ? 0 : v[offset + previousK];
            var previousY = previousX - previousK;
            while (x > previousX && y > previousY) edits.Add(new Edit(Op.Same, --x, --y));
            if (d > 0) edits.Add(x == previousX ? new Edit(Op.Added, x, --y) : new Edit(Op.Removed, --x, y));
            (x, y) = (previousX, previousY);
        }
        edits.Reverse();
        return edits;
    }
}
