using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Tests.Support;

/// <summary>
/// A pipeline written by a test into a private temporary folder: pipeline.yaml plus the files the
/// test names (SQL templates, seeds). Deleted when disposed.
/// </summary>
public sealed class TempPipeline : IDisposable
{
    private TempPipeline(string dir) => Dir = dir;

    public string Dir { get; }

    public string YamlPath => Path.Combine(Dir, "pipeline.yaml");

    /// <summary>How the engine names <paramref name="relative"/> in messages (relative to the current folder, else absolute).</summary>
    public string Display(string relative = "pipeline.yaml") => DisplayPath.Of(Path.Combine(Dir, relative));

    public static TempPipeline Create(string yaml, params (string Path, string Text)[] files)
    {
        var pipeline = new TempPipeline(Path.Combine(Path.GetTempPath(), "lacrei-unit-" + Guid.NewGuid().ToString("N")[..10]));
        Directory.CreateDirectory(pipeline.Dir);
        File.WriteAllText(pipeline.YamlPath, yaml);
        foreach (var (path, text) in files) pipeline.Write(path, text);
        return pipeline;
    }

    public void Write(string relative, string text)
    {
        var full = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public PipelineConfig Load() => PipelineLoader.Parse(File.ReadAllText(YamlPath), YamlPath);

    public Project Resolve(ProjectOptions? options = null) => Project.Resolve(Load(), options ?? new ProjectOptions());

    public Workspace Build(ProjectOptions? options = null) =>
        Workspace.Build(Resolve(options), new RunContext("r1", new DateOnly(2025, 12, 1)));

    /// <summary>The problems that loading reports; fails the test if it loads without error.</summary>
    public IReadOnlyList<Diagnostic> LoadErrors() => Assert.Throws<PipelineException>(() => Load()).Diagnostics;

    /// <summary>The problems that building the workspace (rendering every template, the DAG) reports.</summary>
    public IReadOnlyList<Diagnostic> BuildErrors(ProjectOptions? options = null) =>
        Assert.Throws<PipelineException>(() => Build(options)).Diagnostics;

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
