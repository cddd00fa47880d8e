using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Lacrei.Engine.Tests;

/// <summary>
/// A PostgreSQL server of the test's own (initdb in a temporary folder, a free loopback port),
/// for what cannot be done to the shared test server: moving its transaction counter with
/// pg_resetwal, or streaming it to a hot standby. As root, the server tools run as the
/// <c>postgres</c> user (initdb refuses root). Stopped and removed on dispose.
/// </summary>
internal sealed class ThrowawayServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private readonly string _data;

    private ThrowawayServer(string dir, string bin, string data, int port) => (_dir, _bin, _data, Port) = (dir, bin, data, port);

    public int Port { get; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    /// <summary>Creates and starts a new cluster.</summary>
    public static async Task<ThrowawayServer> StartAsync()
    {
        var bin = new[] { "/usr/lib/postgresql/15/bin" }.Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.EnumerateDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : [])
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_resetwal")))
            ?? throw new InvalidOperationException("no PostgreSQL server binaries (apt-get install postgresql-15)");
        var dir = Directory.CreateTempSubdirectory("lacrei-source-").FullName;
        var server = new ThrowawayServer(dir, bin, Path.Combine(dir, "data"), FreePort());
        await server.ChownAsync();
        await server.ToolAsync("initdb", $"-D '{server._data}' -A trust -U postgres -E UTF8 --locale=C.UTF-8");
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A hot standby of this server (pg_basebackup, streaming), started on a port of its own.</summary>
    public async Task<ThrowawayServer> StartStandbyAsync()
    {
        var dir = Directory.CreateTempSubdirectory("lacrei-standby-").FullName;
        var standby = new ThrowawayServer(dir, _bin, Path.Combine(dir, "data"), FreePort());
        await standby.ChownAsync();
        await standby.ToolAsync("pg_basebackup", $"-h 127.0.0.1 -p {Port} -U postgres -D '{standby._data}' -R -X stream");
        await standby.StartAgainAsync();
        return standby;
    }

    public Task StartAgainAsync() => ToolAsync("pg_ctl",
        $"-D '{_data}' -w -l '{_dir}/server.log' -o \"-p {Port} -k '{_dir}' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=20\" start");

    public Task StopAsync() => ToolAsync("pg_ctl", $"-D '{_data}' -w -m fast stop");

    /// <summary>
    /// Moves the stopped server's next transaction id to <paramref name="nextXid"/> (32 bits; the
    /// epoch stays), with the commit-log segment it lands in created empty as PostgreSQL expects.
    /// </summary>
    public async Task SetNextXidAsync(uint nextXid)
    {
        // pg_xact: 4 transactions a byte, 8192-byte pages, 32 pages a segment file.
        var segment = Path.Combine(_data, "pg_xact", (nextXid / (4 * 8192 * 32)).ToString("X4"));
        if (!File.Exists(segment)) await File.WriteAllBytesAsync(segment, new byte[8192 * 32]);
        await ChownAsync();
        await ToolAsync("pg_resetwal", $"-x {nextXid} -D '{_data}'");
    }

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        try { await ToolAsync("pg_ctl", $"-D '{_data}' -m immediate stop"); }
        catch (InvalidOperationException) { /* not running */ }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task ChownAsync() => IsRoot ? RunAsync("chown", ["-R", "postgres", _dir]) : Task.CompletedTask;

    private Task ToolAsync(string tool, string arguments)
    {
        var command = $"'{Path.Combine(_bin, tool)}' {arguments}";
        return IsRoot ? RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", command]) : RunAsync("/bin/sh", ["-c", command]);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {(await error + await output).Trim()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
