namespace Lacrei.Engine.Templating;

/// <summary>
/// Maps a place in a template's rendered text back to the template the user edits (STYLE.md:
/// errors point at the template line). Text outside <c>{{ }}</c> is copied as written, so lines
/// that read the same in both are anchors; a line an expression changed maps between its
/// anchors, and a column maps exactly in the part of the line before (or after) what changed.
/// </summary>
public sealed class TemplateLineMap
{
    // Aligning n×m lines costs n·m; beyond this the lines between the common head and tail map in proportion.
    private const long MaxAlignedCells = 4_000_000;

    private readonly string[] _template;
    private readonly string[] _rendered;
    private readonly int[] _templateLineOf; // for each rendered line: its template line, or -1 when no line reads the same

    public TemplateLineMap(string template, string rendered)
    {
        _template = template.Split('\n');
        _rendered = rendered.Split('\n');
        _templateLineOf = Align(_template, _rendered);
    }

    /// <summary>1-based line and column in the template for a 1-based line and column of the rendered text.</summary>
    public (int Line, int Column) Map(int line, int column)
    {
        var r = Math.Clamp(line - 1, 0, _rendered.Length - 1);
        if (_templateLineOf[r] >= 0) return (_templateLineOf[r] + 1, column);
        var t = Between(r);
        return (t + 1, MapColumn(_template[t], _rendered[r], column));
    }

    /// <summary>An unmatched rendered line: the template line at the same distance from the anchors before it.</summary>
    private int Between(int r)
    {
        var before = r - 1;
        while (before >= 0 && _templateLineOf[before] < 0) before--;
        var after = r + 1;
        while (after < _rendered.Length && _templateLineOf[after] < 0) after++;
        var first = before >= 0 ? _templateLineOf[before] + 1 : 0;
        var last = after < _rendered.Length ? _templateLineOf[after] - 1 : _template.Length - 1;
        if (last < first) return Math.Clamp(first - 1, 0, _template.Length - 1);
        return Math.Min(last, first + (r - before - 1));
    }

    private static int MapColumn(string template, string rendered, int column)
    {
        var prefix = 0;
        while (prefix < template.Length && prefix < rendered.Length && template[prefix] == rendered[prefix]) prefix++;
        if (column - 1 < prefix) return column;
        var suffix = 0;
        while (suffix < template.Length - prefix && suffix < rendered.Length - prefix
               && template[^(suffix + 1)] == rendered[^(suffix + 1)]) suffix++;
        var fromEnd = rendered.Length - (column - 1);
        if (fromEnd <= suffix) return template.Length - fromEnd + 1;
        return prefix + 1; // inside what an expression wrote: point at the expression
    }

    private static int[] Align(string[] template, string[] rendered)
    {
        var map = Enumerable.Repeat(-1, rendered.Length).ToArray();
        var head = 0;
        while (head < template.Length && head < rendered.Length && template[head] == rendered[head]) { map[head] = head; head++; }
        var tail = 0;
        while (tail < template.Length - head && tail < rendered.Length - head && template[^(tail + 1)] == rendered[^(tail + 1)])
        {
            map[rendered.Length - 1 - tail] = template.Length - 1 - tail;
            tail++;
        }
        var n = template.Length - head - tail;
        var m = rendered.Length - head - tail;
        if (n == 0 || m == 0 || (long)n * m > MaxAlignedCells) return map;

        // Longest common subsequence of the middle lines.
        var length = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                length[i, j] = template[head + i] == rendered[head + j] ? length[i + 1, j + 1] + 1 : Math.Max(length[i + 1, j], length[i, j + 1]);
        for (int i = 0, j = 0; i < n && j < m;)
        {
            if (template[head + i] == rendered[head + j]) { map[head + j] = head + i; i++; j++; }
            else if (length[i + 1, j] >= length[i, j + 1]) i++;
            else j++;
        }
        return map;
    }
}
