using Lacrei.Engine.Config;
using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
using Npgsql;

namespace Lacrei.Engine.Extraction;

/// <summary>
/// One data source per source database of a run, opened on first use. A source whose
/// <c>connection</c> variable is unset is the target database itself: extraction then runs as
/// set-based SQL inside the target, with no copy at all.
/// </summary>
public sealed class SourceConnections(Project project, Func<string, string?> environment) : IAsyncDisposable
{
    private readonly Dictionary<string, NpgsqlDataSource> _open = [];
    private readonly Lock _gate = new();

    /// <summary>The source's own data source, or null when it is the target database.</summary>
    public NpgsqlDataSource? For(ResolvedSource source)
    {
        if (source.ConnectionEnvVar is null || environment(source.ConnectionEnvVar) is not { Length: > 0 } url) return null;
        lock (_gate)
        {
            if (_open.TryGetValue(source.Name, out var existing)) return existing;
            var settings = ConnectionSettings.Resolve(url, _ => null);
            settings.Builder.ApplicationName = "lacrei-pipeline extract";
            return _open[source.Name] = NpgsqlDataSource.Create(settings.ConnectionString);
        }
    }

    /// <summary>
    /// Opens <paramref name="connections"/> connections (one per extract step that can run at
    /// once; a step with rows to copy opens a second one for its look) to each given source in
    /// the background while the run prepares, so extract steps do not wait for them. Failures
    /// are ignored here: the step that reads the source reports them with its name.
    /// </summary>
    public Task WarmUpAsync(IEnumerable<ResolvedSource> used, int connections, CancellationToken ct) =>
        Task.WhenAll(used.DistinctBy(s => s.Name).Select(For).OfType<NpgsqlDataSource>().Select(async dataSource =>
        {
            // The first connection loads the server's types once; the others then open in parallel.
            if (await TryOpenAsync(dataSource, ct) is not { } first) return;
            var others = await Task.WhenAll(Enumerable.Range(1, connections - 1).Select(_ => TryOpenAsync(dataSource, ct)));
            foreach (var connection in others.Prepend(first).OfType<NpgsqlConnection>()) await connection.DisposeAsync();
        }));

    private static async Task<NpgsqlConnection?> TryOpenAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        try { return await dataSource.OpenConnectionAsync(ct); }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException or TimeoutException) { return null; }
    }

    public ResolvedSource Resolve(ExtractConfig extract) =>
        project.Sources.TryGetValue(extract.Source, out var source)
            ? source
            : throw new PipelineException(ErrorKind.Config, extract.Span, $"unknown source '{extract.Source}'",
                Suggest.Hint(extract.Source, project.Sources.Keys.Order(StringComparer.Ordinal).ToList(), "sources"));

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _open.Values) await dataSource.DisposeAsync();
    }
}
