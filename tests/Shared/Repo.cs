namespace Lacrei.Engine.Tests;

/// <summary>Finds files of this repository from a test's bin folder.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string ShopFixture => Path("tests", "fixtures", "shop");

    /// <summary>A private copy of a fixture folder that a test may edit.</summary>
    public static string CopyFixture(string source, string under = "")
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lacrei-test-" + Guid.NewGuid().ToString("N")[..10]);
        var target = System.IO.Path.Combine(root, under);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(source, file);
            if (relative.StartsWith("target", StringComparison.Ordinal)) continue;
            var destination = System.IO.Path.Combine(target, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return root;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "lacrei-pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException("lacrei-pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
