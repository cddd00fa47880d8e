using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Demo;

/// <summary>
/// A private PostgreSQL for <c>engine demo</c> when no database is configured: its own data
/// folder and loopback port, removed on dispose. initdb and pg_ctl refuse to run as root, so
/// as root they run as the <c>postgres</c> user.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    private ThrowawayPostgres(string dir, string bin, int port) => (_dir, _bin, Port) = (dir, bin, port);

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken ct)
    {
        var bin = FindServerBinaries() ?? throw new PipelineException(ErrorKind.Usage, null,
            "no PostgreSQL server found to start a throwaway database (initdb, pg_ctl)",
            "install it (apt-get install postgresql-15) or set DATABASE_URL to a database the demo may use");
        var dir = Directory.CreateTempSubdirectory("lacrei-demo-").FullName;
        var port = FreePort();
        var server = new ThrowawayPostgres(dir, bin, port);
        try
        {
            if (IsRoot) await RunAsync("chown", ["-R", "postgres", dir], ct);
            await server.PgAsync("initdb", $"-D '{dir}/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8", ct);
            await server.StartAgainAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same folder and port.</summary>
    public Task StartAgainAsync(CancellationToken ct = default) => PgAsync("pg_ctl",
        $"-D '{_dir}/data' -w -l '{_dir}/server.log' -o \"-p {Port} -k '{_dir}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off\" start", ct);

    /// <summary>Stops the server, as an operator or a crash would in the middle of a run (fault tests).</summary>
    public Task StopAsync(CancellationToken ct = default) => PgAsync("pg_ctl", $"-D '{_dir}/data' -w -m fast stop", ct);

    public async ValueTask DisposeAsync()
    {
        try { await PgAsync("pg_ctl", $"-D '{_dir}/data' -m fast stop", CancellationToken.None); }
        catch (PipelineException) { /* not started: nothing to stop */ }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task PgAsync(string tool, string arguments, CancellationToken ct)
    {
        var command = $"'{Path.Combine(_bin, tool)}' {arguments}";
        return IsRoot ? RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", command], ct) : RunAsync("/bin/sh", ["-c", command], ct);
    }

    private static async Task RunAsync(string file, string[] arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new PipelineException(ErrorKind.Connection, null,
                $"starting the throwaway PostgreSQL failed ({file} exited {process.ExitCode}): {(await error + await output).Trim()}");
    }

    private static string? FindServerBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
            : [];
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return candidates.Concat(path).FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
