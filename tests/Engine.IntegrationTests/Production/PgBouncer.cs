using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Lacrei.Engine.Tests.Production;

/// <summary>
/// A real PgBouncer (Debian's package; .ci/run installs it) in front of the test server, in
/// <c>pool_mode = transaction</c> as managed services run it: its own folder and loopback port,
/// every database name passed through to DATABASE_URL's server. PgBouncer refuses to run as
/// root, so as root it runs as the <c>postgres</c> user (like scripts/with-postgres). Killed on
/// dispose.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly int _pid;

    private PgBouncer(string dir, int port, int pid) => (_dir, Port, _pid) = (dir, port, pid);

    public int Port { get; }

    /// <summary>The test database through the pooler, as a connection string for <c>--connection</c>.</summary>
    public string ConnectionString(string? database = null)
    {
        var server = new NpgsqlConnectionStringBuilder(IsolatedPipeline.ConnectionString);
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = server.Username, Password = server.Password, Database = database ?? server.Database,
        }.ConnectionString;
    }

    public static async Task<PgBouncer> StartAsync(int poolSize = 20)
    {
        var binary = new[] { "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pgbouncer not found: apt-get install pgbouncer (scripts/test installs it)");
        var server = new NpgsqlConnectionStringBuilder(IsolatedPipeline.ConnectionString);
        var dir = Directory.CreateTempSubdirectory("lacrei-pgbouncer-").FullName;
        var port = FreePort();
        var password = server.Password is { Length: > 0 } p ? $" password={p}" : "";
        File.WriteAllText(Path.Combine(dir, "pgbouncer.ini"), $"""
            [databases]
            * = host={server.Host} port={server.Port}{password}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {dir}/users.txt
            pool_mode = transaction
            default_pool_size = {poolSize}
            max_client_conn = 1000
            ignore_startup_parameters = extra_float_digits,options
            logfile = {dir}/pgbouncer.log
            pidfile = {dir}/pgbouncer.pid
            """);
        File.WriteAllText(Path.Combine(dir, "users.txt"), $"\"{server.Username}\" \"\"\n");
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", "-R", "postgres", dir);
        await RunAsync("chmod", "755", dir);
        var start = $"'{binary}' -d '{dir}/pgbouncer.ini'";
        if (asRoot) await RunAsync("su", "postgres", "-s", "/bin/sh", "-c", start);
        else await RunAsync("/bin/sh", "-c", start);

        // The daemon creates its pid file, then writes to it: poll until it holds a number.
        var pidFile = Path.Combine(dir, "pgbouncer.pid");
        var pid = 0;
        for (var i = 0; i < 400 && !(File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out pid)); i++) await Task.Delay(25);
        var bouncer = new PgBouncer(dir, port, pid);
        if (pid == 0) throw new InvalidOperationException($"pgbouncer did not start: {bouncer.Log}");
        await bouncer.WaitUntilAnsweringAsync();
        return bouncer;
    }

    /// <summary>The pooler's own log (connections, errors), for a failing test's message.</summary>
    public string Log => File.Exists(Path.Combine(_dir, "pgbouncer.log")) ? File.ReadAllText(Path.Combine(_dir, "pgbouncer.log")) : "";

    private async Task WaitUntilAnsweringAsync()
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (i < 200)
            {
                await Task.Delay(25);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var process = Process.GetProcessById(_pid);
            process.Kill();
            await process.WaitForExitAsync();
        }
        catch (ArgumentException) { /* already gone */ }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
