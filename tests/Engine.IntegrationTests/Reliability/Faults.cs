namespace Lacrei.Engine.Tests.Reliability;

/// <summary>Helpers that watch the server for a test's slow statement (a <c>pg_sleep</c> tagged with its suffix).</summary>
internal static class Faults
{
    private static string Slow(IsolatedPipeline pipeline) =>
        $"state = 'active' AND query LIKE '%pg_sleep%{pipeline.Suffix}%' AND pid <> pg_backend_pid()";

    public static Task<bool> SleepIsRunningAsync(IsolatedPipeline pipeline) =>
        pipeline.ScalarAsync<bool>($"SELECT EXISTS (SELECT FROM pg_stat_activity WHERE {Slow(pipeline)})");

    public static async Task WaitForSleepAsync(IsolatedPipeline pipeline)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await SleepIsRunningAsync(pipeline)) return;
            await Task.Delay(25);
        }
        throw new TimeoutException("the run never started its slow step");
    }

    /// <summary>Terminates the backends running the slow statement; returns how many.</summary>
    public static async Task<int> TerminateSleepAsync(IsolatedPipeline pipeline) =>
        (int)await pipeline.ScalarAsync<long>($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE {Slow(pipeline)}");

    /// <summary>
    /// After a SIGKILL the server notices the dead client only when the running statement ends and
    /// it answers; until then that backend holds its locks (it can never commit). Waits it out.
    /// </summary>
    public static async Task WaitForKilledBackendsAsync(IsolatedPipeline pipeline)
    {
        for (var i = 0; i < 400; i++)
        {
            var active = await pipeline.ScalarAsync<bool>(
                $"SELECT EXISTS (SELECT FROM pg_stat_activity WHERE state <> 'idle' AND query LIKE '%{pipeline.Suffix}%' AND pid <> pg_backend_pid())");
            if (!active) return;
            await Task.Delay(25);
        }
        throw new TimeoutException("a killed engine's backend is still running");
    }
}
