using CsCheck;
using Lacrei.Engine.Cli.Snapshots;

namespace Lacrei.Engine.Tests.Cli;

/// <summary>The unified diff <c>engine render --check</c> prints: exact on an example, and always a patch that turns the approved text into the rendered one.</summary>
public sealed class LineDiffTests
{
    [Fact]
    public void A_changed_line_is_printed_with_three_lines_of_context_as_diff_u_prints_it()
    {
        var before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        var after = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";

        var diff = LineDiff.Unified(before, after, "old.sql", "new.sql");

        Assert.Equal("--- old.sql\n+++ new.sql\n@@ -2,7 +2,8 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n+i\n", diff);
    }

    [Fact]
    public void A_new_file_is_all_added_lines_against_nothing()
    {
        Assert.Equal("--- /dev/null\n+++ new.sql\n@@ -0,0 +1,2 @@\n+x\n+y\n", LineDiff.Unified("", "x\ny\n", "/dev/null", "new.sql"));
    }

    [Fact]
    public void Equal_texts_have_no_diff()
    {
        Assert.Equal("", LineDiff.Unified("x\ny\n", "x\ny\n", "a", "b"));
    }

    [Fact]
    public void Applying_the_diff_to_the_old_text_gives_the_new_one()
    {
        var lines = Gen.Int[0, 3].Select(i => "abcd"[i].ToString()).Array[0, 25];
        Gen.Select(lines, lines).Sample((before, after) =>
        {
            var (old, @new) = (Text(before), Text(after));
            var diff = LineDiff.Unified(old, @new, "a", "b");
            return old == @new ? diff == "" : Apply(before, diff) == @new;
        }, iter: 3000);
    }

    private static string Text(string[] lines) => lines.Length == 0 ? "" : string.Join("\n", lines) + "\n";

    /// <summary>A minimal patch: every hunk's context and removed lines must match the old text where its header says.</summary>
    private static string Apply(string[] old, string diff)
    {
        var result = new List<string>();
        var position = 0;
        var lines = diff.Split('\n')[2..^1];
        for (var i = 0; i < lines.Length;)
        {
            var header = lines[i++].Split(' ')[1][1..].Split(',');
            var start = int.Parse(header[0]) - (int.Parse(header[1]) == 0 ? 0 : 1);
            result.AddRange(old[position..start]);
            position = start;
            for (; i < lines.Length && !lines[i].StartsWith("@@", StringComparison.Ordinal); i++)
            {
                var (mark, text) = (lines[i][0], lines[i][1..]);
                if (mark != '+') { Assert.Equal(old[position], text); position++; }
                if (mark != '-') result.Add(text);
            }
        }
        result.AddRange(old[position..]);
        return Text([.. result]);
    }
}
