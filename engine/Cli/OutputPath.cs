using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Cli;

/// <summary>
/// Where <c>--out</c> may write (issue 20): checked before anything is read, so a wrong path is a
/// usage error (exit 2) that says what the path must be, never an "internal error" from the OS.
/// </summary>
internal static class OutputPath
{
    /// <summary>
    /// <c>docs --out</c>: a new or empty folder, or one an earlier <c>engine docs</c> wrote (it
    /// holds <paramref name="marker"/>); any other folder only with <c>--force</c>. The folder is
    /// created here, so a path that cannot hold one fails now.
    /// </summary>
    public static string SiteFolder(string typed, string currentDirectory, string marker, bool force)
    {
        var full = Path.GetFullPath(typed, currentDirectory);
        const string pick = "pick a new or empty folder, e.g. --out site";
        if (File.Exists(full))
            throw Usage($"docs --out {typed}: that is a file; --out names the folder the site is written to", pick);
        if (Directory.Exists(full))
        {
            if (!force && !File.Exists(Path.Combine(full, marker)) && Directory.EnumerateFileSystemEntries(full).Any())
                throw Usage($"docs --out {typed}: the folder is not empty and was not written by engine docs",
                    "pick a new or empty folder, or pass --force to write the site into this one");
            return full;
        }
        if (FileInTheWay(full) is { } file)
            throw Usage($"docs --out {typed}: {file} is a file, so the folder cannot be created there", pick);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Usage($"docs --out {typed}: cannot create the folder: {e.Message}", "--out must be a folder you can write to");
        }
        return full;
    }

    /// <summary><c>runs --report … --out</c>: a file (not a folder) whose folder exists or can be created.</summary>
    public static string ReportFile(string typed, string currentDirectory)
    {
        var full = Path.GetFullPath(typed, currentDirectory);
        if (Directory.Exists(full))
            throw Usage($"runs --out {typed}: that is a folder; --out names the report's HTML file", $"for example --out {Path.Combine(typed, "report.html")}");
        if (FileInTheWay(full) is { } file)
            throw Usage($"runs --out {typed}: {file} is a file, so the folder cannot be created there", WritableFile);
        return full;
    }

    public const string WritableFile = "--out must be a file in a folder you can write to";

    /// <summary>What the OS said when a file could not be written, as a usage error about <paramref name="what"/>.</summary>
    public static PipelineException CannotWrite(string what, Exception error) =>
        Usage($"{what}: cannot write the file: {error.Message}", WritableFile);

    /// <summary>The nearest existing ancestor of <paramref name="path"/> when it is a file (so no folder can be made below it).</summary>
    private static string? FileInTheWay(string path)
    {
        for (var dir = Path.GetDirectoryName(path); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir)) return dir;
            if (Directory.Exists(dir)) return null;
        }
        return null;
    }

    private static PipelineException Usage(string message, string hint) => new(ErrorKind.Usage, null, message, hint);
}
