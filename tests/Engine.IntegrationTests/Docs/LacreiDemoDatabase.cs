using Lacrei.Engine.Config;
using Lacrei.Engine.Demo;
using Npgsql;

namespace Lacrei.Engine.Tests.Docs;

/// <summary>
/// The Lacrei pipeline with its real schema names, in a database of its own (dropped on
/// dispose), its source filled with the demo's synthetic data. A database rather than schema
/// suffixes so that the screenshots show what users see (<c>lacreisaude_mart</c>, not
/// <c>lacreisaude_mart_t1a2b3c4d</c>); only the cluster-wide BI role carries a suffix.
/// </summary>
internal sealed class LacreiDemoDatabase : IAsyncDisposable
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    private LacreiDemoDatabase()
    {
        Dir = Repo.CopyFixture(Repo.Path("pipelines", "lacrei"), Path.Combine("pipelines", "lacrei"));
        File.Copy(Repo.Path("pipeline.yaml"), YamlPath);
        ConnectionString = new NpgsqlConnectionStringBuilder(IsolatedPipeline.ConnectionString) { Database = Database, Pooling = false }.ConnectionString;
    }

    public string Dir { get; }
    public string YamlPath => Path.Combine(Dir, "pipeline.yaml");
    public string Database => "lacrei_docs_" + _suffix;
    public string ConnectionString { get; }
    private string BiRole => "lacrei_bi_docs_" + _suffix;

    public static async Task<LacreiDemoDatabase> CreateAsync()
    {
        var scratch = new LacreiDemoDatabase();
        await ExecuteAsync(IsolatedPipeline.ConnectionString, $"CREATE DATABASE \"{scratch.Database}\"");
        var project = Project.Resolve(PipelineLoader.Load(scratch.YamlPath), new ProjectOptions());
        await using var connection = new NpgsqlConnection(scratch.ConnectionString);
        await connection.OpenAsync();
        await new DemoSource(project).CreateAsync(connection, project.Sources["app"].Schema, 1, CancellationToken.None);
        return scratch;
    }

    /// <summary>Runs <c>engine</c> on this database, the source read from it too (LACREI_SOURCE_URL unset).</summary>
    public Task<CliOutcome> Engine(params string[] args) => EngineCli.RunAsync(
        [.. args, "--project", YamlPath, "--as-of", "2025-12-01", "--connection", ConnectionString, "--var", $"bi_role={BiRole}"],
        new Dictionary<string, string?> { ["LACREI_SOURCE_URL"] = null });

    public async ValueTask DisposeAsync()
    {
        await ExecuteAsync(IsolatedPipeline.ConnectionString, $"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)");
        await ExecuteAsync(IsolatedPipeline.ConnectionString, $"DROP ROLE IF EXISTS \"{BiRole}\"");
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
