using Xunit.Abstractions;

namespace Lacrei.Engine.Tests.Structure;

/// <summary>
/// STYLE.md: data flows one way (Diagnostics → Config → … → Cli/Server/Docs) and nothing reaches
/// back up. <c>scripts/folder-deps</c> prints the same listing.
/// </summary>
public sealed class FolderDependencyTests(ITestOutputHelper output)
{
    [Fact]
    public void Engine_folders_depend_only_on_lower_layers()
    {
        var edges = FolderDependencies.Read(Repo.Path("engine"));
        output.WriteLine(FolderDependencies.Listing(edges));
        var violations = FolderDependencies.Violations(edges).ToList();
        Assert.True(violations.Count == 0,
            "edges that go up or sideways (fix the code, or move a type to the folder it belongs to):\n  " + string.Join("\n  ", violations) +
            "\n\nall edges:\n" + FolderDependencies.Listing(edges));
    }

    [Fact]
    public void Every_engine_folder_has_a_layer()
    {
        foreach (var folder in Directory.EnumerateDirectories(Repo.Path("engine")).Select(Path.GetFileName).Where(f => f is not ("obj" or "bin")))
            FolderDependencies.RankOf(folder!);
    }

    [Fact]
    public void A_reference_through_a_using_or_a_qualified_name_is_an_edge()
    {
        var dir = Directory.CreateTempSubdirectory("lacrei-deps-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "Config"));
            Directory.CreateDirectory(Path.Combine(dir, "Graph"));
            Directory.CreateDirectory(Path.Combine(dir, "Sql"));
            File.WriteAllText(Path.Combine(dir, "Config", "A.cs"), "namespace Lacrei.Engine.Config;\n// Dag is named in a comment only\npublic sealed class Alpha { string s = \"Dag\"; }\n");
            File.WriteAllText(Path.Combine(dir, "Graph", "B.cs"), "using Lacrei.Engine.Config;\nnamespace Lacrei.Engine.Graph;\npublic sealed class Dag { Alpha a; }\n");
            File.WriteAllText(Path.Combine(dir, "Sql", "C.cs"), "namespace Lacrei.Engine.Sql;\npublic sealed class Gamma { Graph.Dag d; }\n");
            var edges = FolderDependencies.Read(dir);
            Assert.Equal("Config       → (nothing)\nSql          → Graph\nGraph        → Config\n", FolderDependencies.Listing(edges));
            Assert.Equal(["Sql → Graph (Sql/C.cs uses Dag)"], FolderDependencies.Violations(edges));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
