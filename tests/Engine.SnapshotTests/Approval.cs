using System.Text;
using ApprovalTests;
using ApprovalTests.Core;
using ApprovalTests.Core.Exceptions;
using ApprovalTests.Reporters;
using Xunit.Sdk;

// CI must never try to open a diff tool: a mismatch only writes the received file and fails.
[assembly: UseReporter(typeof(QuietReporter))]

namespace Lacrei.Engine.Tests;

/// <summary>
/// The approved/received workflow of ApprovalTests with an explicit file name per case (a step, a
/// migration, a command): <c>Approved/&lt;folder&gt;/&lt;name&gt;.approved.&lt;ext&gt;</c> is compared with the text; on a
/// difference <c>&lt;name&gt;.received.&lt;ext&gt;</c> is written beside it and the test fails. Review the
/// difference, then rename received → approved (<c>tests/Engine.SnapshotTests/approve.sh</c> does all).
/// </summary>
public static class Approval
{
    public static string Root { get; } = Repo.Path("tests", "Engine.SnapshotTests", "Approved");

    public static void Verify(string folder, string name, string text, string extension)
    {
        var namer = new Namer(Path.Combine(Root, folder), name);
        try
        {
            Approvals.Verify(new Utf8Writer(text, extension), namer, QuietReporter.INSTANCE);
        }
        catch (ApprovalException e)
        {
            var approved = Path.GetRelativePath(Repo.Root, e.Approved);
            var received = Path.GetRelativePath(Repo.Root, e.Received);
            throw new XunitException(
                (e is ApprovalMissingException ? $"No approved file {approved} yet." : $"The output differs from {approved}.") + "\n" +
                $"  review:  diff {approved} {received}\n" +
                $"  approve: mv {received} {approved}\n" +
                "  (or tests/Engine.SnapshotTests/approve.sh to approve every received file after review)");
        }
    }

    /// <summary>The names of the approved files of a folder (for tests that no approved file outlives its case).</summary>
    public static IReadOnlyList<string> Files(string folder, string extension)
    {
        var dir = Path.Combine(Root, folder);
        var suffix = $".approved.{extension}";
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*" + suffix).Select(f => Path.GetFileName(f)[..^suffix.Length]).ToList()
            : [];
    }

    private sealed class Namer(string sourcePath, string name) : IApprovalNamer
    {
        public string SourcePath => sourcePath;
        public string Name => name;
    }

    /// <summary>Writes the received file as UTF-8 without a byte-order mark, "\n" line ends, like the rest of the repository.</summary>
    private sealed class Utf8Writer(string text, string extension) : IApprovalWriter
    {
        public string GetApprovalFilename(string baseName) => $"{baseName}.approved.{extension}";

        public string GetReceivedFilename(string baseName) => $"{baseName}.received.{extension}";

        public string WriteReceivedFile(string received)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(received)!);
            File.WriteAllText(received, text.ReplaceLineEndings("\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return received;
        }
    }
}
