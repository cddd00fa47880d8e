using System.Text.Json;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.State;

/// <summary>Reads and writes <c>DIR/manifest.json</c>; a missing or unreadable one is a usage error that names it.</summary>
public static class ManifestFile
{
    /// <summary>Where every run writes its manifest: beside the rendered SQL, under the project's <c>target/</c>.</summary>
    public static string RunStateDir(string rootDir) => Path.Combine(rootDir, "target", "state");

    public static void Write(string dir, Manifest manifest)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, Manifest.FileName);
        // Written aside and moved, so a reader never sees half a file.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(manifest, ManifestJson.Default.Manifest) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <param name="typed">The folder as typed (or the manifest file itself).</param>
    public static Manifest Read(string dir, string typed)
    {
        // The file itself is fine too: a CI job often downloads just it.
        var path = File.Exists(dir) ? dir : Path.Combine(dir, Manifest.FileName);
        const string hint = "--state names the folder of a manifest.json that a run wrote (target/state/) or 'engine plan --write-state DIR'";
        if (!File.Exists(path))
            throw new PipelineException(ErrorKind.Usage, null, $"--state {typed}: no {Manifest.FileName} in that folder", hint);
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJson.Default.Manifest);
        }
        catch (JsonException e)
        {
            throw new PipelineException(ErrorKind.Usage, new SourceSpan(path, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1),
                $"{Manifest.FileName} is not a manifest: {e.Message.Split(" Path:")[0]}", hint);
        }
        if (manifest is null || manifest.ManifestVersion != Manifest.CurrentVersion || manifest.Steps is null || manifest.Target is null)
            throw new PipelineException(ErrorKind.Usage, new SourceSpan(path, 1, 1),
                $"{Manifest.FileName} is not a manifest of version {Manifest.CurrentVersion}", "write it again with this engine: run, or plan --write-state");
        return manifest;
    }
}
