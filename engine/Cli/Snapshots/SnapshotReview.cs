using System.Text;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Cli.Snapshots;

internal enum SnapshotChange { New, Changed, Orphan }

/// <summary>An approved file that differs from what renders now, with the unified diff to review.</summary>
internal sealed record SnapshotDifference(string Path, SnapshotChange Change, string Diff);

/// <summary>Compares rendered files with the approved ones in <c>snapshots/</c>, and approves them.</summary>
internal sealed class SnapshotReview(string dir, IReadOnlyList<SnapshotFile> rendered, bool judgeOrphans)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Every rendered file that is new or changed, and, when the whole pipeline was rendered, every
    /// approved file nothing renders any more. With a selection, files of unselected steps are not
    /// judged: they may well be right.
    /// </summary>
    public IReadOnlyList<SnapshotDifference> Differences()
    {
        var differences = new List<SnapshotDifference>();
        foreach (var file in rendered)
        {
            var path = Full(file.Path);
            if (!File.Exists(path))
            {
                differences.Add(new(file.Path, SnapshotChange.New, LineDiff.Unified("", file.Text, "/dev/null", Display(file.Path))));
                continue;
            }
            var approved = File.ReadAllText(path).ReplaceLineEndings("\n");
            if (approved != file.Text)
                differences.Add(new(file.Path, SnapshotChange.Changed,
                    LineDiff.Unified(approved, file.Text, Display(file.Path) + " (approved)", Display(file.Path) + " (rendered)")));
        }
        if (judgeOrphans)
        {
            var renderedPaths = rendered.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            differences.AddRange(SnapshotFiles.Existing(dir).Where(p => !renderedPaths.Contains(p))
                .Select(p => new SnapshotDifference(p, SnapshotChange.Orphan, "")));
        }
        return differences;
    }

    /// <summary>Writes the new and changed files and deletes the orphans; unchanged files are left alone.</summary>
    public void Approve(IReadOnlyList<SnapshotDifference> differences)
    {
        var texts = rendered.ToDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);
        foreach (var difference in differences)
        {
            var path = Full(difference.Path);
            if (difference.Change == SnapshotChange.Orphan)
            {
                File.Delete(path);
                continue;
            }
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, texts[difference.Path], Utf8);
        }
        // A folder left empty by removed orphans (say migrations/) goes too.
        if (Directory.Exists(dir))
            foreach (var sub in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
                if (!Directory.EnumerateFileSystemEntries(sub).Any()) Directory.Delete(sub);
    }

    public string Display(string path) => DisplayPath.Of(Full(path)).Replace('\\', '/');

    private string Full(string path) => System.IO.Path.Combine(dir, path.Replace('/', System.IO.Path.DirectorySeparatorChar));
}
