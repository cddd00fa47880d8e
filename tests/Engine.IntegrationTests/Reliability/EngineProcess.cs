using System.Diagnostics;
using System.Text;

namespace Lacrei.Engine.Tests.Reliability;

/// <summary>
/// The real engine as a separate OS process (<c>dotnet engine.dll</c>, built next to this test
/// assembly), so a test can kill it with SIGKILL or send it SIGINT/SIGTERM as a user or a
/// scheduler would.
/// </summary>
internal sealed class EngineProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private EngineProcess(Process process) => _process = process;

    /// <summary>Starts <c>engine</c> with the pipeline's project, schema overrides and fixed as-of date.</summary>
    public static EngineProcess Start(IsolatedPipeline pipeline, params string[] args)
    {
        // Through env(1) with SIGINT and SIGQUIT at their default disposition, as in a terminal: a
        // shell starts a background job (`scripts/test &`) with both ignored, the test host and
        // the engine inherit that, and the runtime keeps a signal that was ignored at start ignored,
        // so Ctrl-C could not be tested (the run went on to success, exit 0).
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--default-signal=INT,QUIT", "dotnet" }) info.ArgumentList.Add(arg);
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "engine.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var arg in new[] { "--project", pipeline.YamlPath, "--as-of", "2025-12-01" }) info.ArgumentList.Add(arg);
        foreach (var o in pipeline.Overrides) { info.ArgumentList.Add("--var"); info.ArgumentList.Add(o); }
        info.Environment["NO_COLOR"] = "1";

        var engine = new EngineProcess(new Process { StartInfo = info });
        engine._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (engine._out) engine._out.AppendLine(e.Data); };
        engine._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (engine._error) engine._error.AppendLine(e.Data); };
        engine._process.Start();
        engine._process.BeginOutputReadLine();
        engine._process.BeginErrorReadLine();
        return engine;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no handler, no cleanup, no last word to the database.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>Sends a signal by name (INT, TERM) with kill(1), as a shell or systemd would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString()])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<CliOutcome> WaitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        lock (_out) lock (_error) return new CliOutcome(_process.ExitCode, _out.ToString(), _error.ToString());
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
