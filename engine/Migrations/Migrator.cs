using Lacrei.Engine.Database;
using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Meta;
using Lacrei.Engine.Templating;
using Npgsql;
using Serilog;

namespace Lacrei.Engine.Migrations;

/// <summary>A migration after rendering: its journal name, the file it came from and its SQL.</summary>
public sealed record MigrationScript(string Name, string File, string Sql);

public sealed record MigrationResult(IReadOnlyList<string> Applied, IReadOnlyList<string> Repaired);

/// <summary>
/// Applies one-time DDL with DbUp (SPEC §7): the engine's own meta scripts first, then the
/// pipeline's <c>migrations/</c>, each rendered as a template. Before anything runs, every
/// applied script is compared with its rendered text: an edit is an error naming the file and
/// the first line that differs, unless <c>--repair</c> re-records it.
/// </summary>
public sealed class Migrator(Project project, SqlRenderer renderer, string connectionString, ILogger log)
{
    // Migrations open a few short connections outside any data source; unpooled, so a server
    // restarted since an earlier run in this process (the service) never hands back a dead one.
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public IReadOnlyList<MigrationScript> Scripts() => [.. EngineScripts(), .. PipelineScripts()];

    /// <param name="runConnections">
    /// The run's own connections, when a run migrates: the check that nothing is left to apply (a
    /// run's usual case) borrows one of them instead of logging in once more before the first step.
    /// </param>
    public MigrationResult Migrate(bool repair, NpgsqlDataSource? runConnections = null)
    {
        using var own = runConnections is null ? Database.BuiltinTypes.DataSource(_connectionString) : null;
        var connections = runConnections ?? own!;
        var journal = new ChecksumJournal(project.MetaSchema, connections);
        var scripts = Scripts();
        var applied = journal.ReadApplied();
        var repaired = CheckApplied(scripts, applied, repair, journal, connections);
        // Everything applied as it is now: no need for DbUp's own connection and journal read.
        if (scripts.All(s => applied.TryGetValue(s.Name, out var recorded) && recorded.Checksum == Journal.Checksum(s.Sql)))
            return new MigrationResult([], repaired);

        var timeouts = project.Config.Timeouts;
        var upgrader = DeployChanges.To.PostgresqlDatabase(_connectionString)
            .WithScripts(scripts.Select(s => new SqlScript(s.Name, s.Sql)))
            .JournalTo(journal)
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .WithPreprocessor(new ScriptPrelude(timeouts.LockTimeout))
            .LogTo(new SerilogUpgradeLog(log))
            .Build();
        var (done, waited, pause) = (new List<string>(), TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
        while (true)
        {
            var result = upgrader.PerformUpgrade();
            done.AddRange(result.Scripts.Select(s => s.Name));
            if (result.Successful) return new MigrationResult(done, repaired);
            var error = result.Error as PostgresException;
            // SPEC §6: like a step, a migration waits for a lock at most lock_timeout at a time, so
            // readers never queue behind it for long; the script was rolled back: try it again.
            if (error?.SqlState == LockNotAvailable && timeouts.LockTimeout > TimeSpan.Zero && waited + timeouts.LockTimeout < timeouts.LockWaitLimit)
            {
                waited += timeouts.LockTimeout + pause;
                log.Warning("Migration {Script} could not get a lock within {LockTimeout}; trying again in {Pause} (waited {Waited} of {Limit})",
                    result.ErrorScript?.Name, Duration.Text(timeouts.LockTimeout), Duration.Text(pause), Duration.Human(waited), Duration.Text(timeouts.LockWaitLimit));
                Thread.Sleep(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                continue;
            }
            var failed = scripts.FirstOrDefault(s => s.Name == result.ErrorScript?.Name);
            var message = error is not null ? ServerErrorText.Of(error, failed?.Sql).Message : result.Error?.Message ?? "unknown error";
            throw new PipelineException(ErrorKind.Migration, failed is null ? null : new SourceSpan(failed.File, LineOf(result.Error, failed.Sql), 1),
                $"migration {result.ErrorScript?.Name} failed: {message}",
                error?.SqlState == LockNotAvailable
                    ? $"another session held a lock it needs for longer than lock_wait_limit ({Duration.Text(timeouts.LockWaitLimit)}): see pg_stat_activity, or raise lock_wait_limit in pipeline.yaml"
                    : error is null ? null : ServerErrorText.Of(error, failed?.Sql).Hint);
        }
    }

    private const string LockNotAvailable = "55P03";

    /// <summary>
    /// Before each script, in its transaction and on its first line (so that the lines of an error
    /// stay the file's): lock_timeout, then a turn among every migration of this database. Scripts
    /// of several schema sets (targets, tests in parallel) write rows of the catalog they share, the
    /// BI role and the database's privileges, and two at once fail one with "tuple concurrently
    /// updated"; the turn is a transaction-scoped advisory lock, which a pooler in transaction mode
    /// keeps too, and waiting for it obeys lock_timeout like any lock. The journal keeps the script
    /// as written.
    /// </summary>
    private sealed class ScriptPrelude(TimeSpan timeout) : IScriptPreprocessor
    {
        public string Process(string contents) =>
            $"SET LOCAL lock_timeout = '{Duration.Setting(timeout)}'; SELECT pg_advisory_xact_lock(hashtextextended('lacrei-pipeline:migrations', 0)); {contents}";
    }

    private List<string> CheckApplied(IReadOnlyList<MigrationScript> scripts,
        Dictionary<string, (string? Checksum, string? Script)> applied, bool repair, ChecksumJournal journal, NpgsqlDataSource connections)
    {
        var problems = new DiagnosticBag();
        var repaired = new List<string>();
        foreach (var script in scripts)
        {
            if (!applied.TryGetValue(script.Name, out var recorded) || recorded.Checksum == Journal.Checksum(script.Sql)) continue;
            if (script.Name.StartsWith(EnginePrefix, StringComparison.Ordinal))
            {
                // The engine's own scripts are idempotent and versioned with the engine: a newer
                // engine re-applies them (like Flyway's repeatable migrations).
                using (var connection = connections.OpenConnection()) journal.Journal.Forget(connection, script.Name);
                continue;
            }
            if (repair)
            {
                using (var connection = connections.OpenConnection()) journal.Journal.Rerecord(connection, script.Name, script.Sql);
                repaired.Add(script.Name);
                continue;
            }
            var (line, was, now) = FirstDifference(recorded.Script ?? "", script.Sql);
            problems.Add(new SourceSpan(script.File, line, 1),
                $"migration {script.Name} was edited after it was applied (rendered line {line}: was \"{was}\", now \"{now}\")",
                "migrations run once; put the change in a new migration, or run 'engine migrate --repair' after review to accept the edit",
                ErrorKind.Migration);
        }
        problems.ThrowIfAny();
        return repaired;
    }

    private const string EnginePrefix = "engine/";

    private static (int Line, string Was, string Now) FirstDifference(string before, string after)
    {
        var a = before.ReplaceLineEndings("\n").Split('\n');
        var b = after.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "";
            var y = i < b.Length ? b[i] : "";
            if (x != y) return (i + 1, Shorten(x), Shorten(y));
        }
        return (1, "", "");
    }

    private static string Shorten(string line) => line.Trim().Length > 80 ? line.Trim()[..77] + "..." : line.Trim();

    private static int LineOf(Exception? error, string sql)
    {
        if (error is not PostgresException { Position: > 0 } p || p.Position > sql.Length) return 1;
        return sql[..(p.Position - 1)].Count(c => c == '\n') + 1;
    }

    private IEnumerable<MigrationScript> EngineScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("meta/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var name = EnginePrefix + resource["meta/".Length..];
            yield return new MigrationScript(name, name, renderer.RenderText(reader.ReadToEnd(), name));
        }
    }

    private IEnumerable<MigrationScript> PipelineScripts()
    {
        if (project.Config.MigrationsDir is not { } dir) yield break;
        foreach (var file in Directory.EnumerateFiles(dir, "*.sql").Order(StringComparer.Ordinal))
        {
            var display = DisplayPath.Of(file);
            yield return new MigrationScript("migrations/" + Path.GetFileName(file), display, renderer.RenderText(TextFiles.Read(file), file));
        }
    }

    /// <summary>DbUp's log, routed to Serilog at debug level: users see the summary, not each statement.</summary>
    private sealed class SerilogUpgradeLog(ILogger log) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) => log.Debug("{Migration}", string.Format(format, args));
        public void LogWarning(string format, params object[] args) => log.Warning("{Migration}", string.Format(format, args));
        public void LogError(string format, params object[] args) => log.Debug("{Migration}", string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => log.Debug(ex, "{Migration}", string.Format(format, args));
    }
}
