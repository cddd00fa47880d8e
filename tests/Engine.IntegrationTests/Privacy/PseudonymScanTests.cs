using System.Diagnostics;
using Npgsql;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.Privacy;

/// <summary>
/// SPEC §9.4 after a demo-like run (the demo source at scale 1, the whole pipeline): the ids of
/// people in the model and the marts are keyed pseudonyms — never a source id — and the key is
/// nowhere: not in a full pg_dump of the warehouse (every schema, the run log included), not in
/// target/, not in the engine's output, not in any query text pg_stat_activity showed during the run.
/// </summary>
public sealed class PseudonymScanTests
{
    private static readonly string[] PeopleIds = ["patient_id", "profile_id", "appointment_id", "report_id", "cancellation_id"];

    [Fact]
    public async Task After_a_run_people_are_pseudonyms_in_model_and_marts_and_the_key_is_in_no_table_file_log_or_query_text()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        var key = "scan-key-" + Guid.NewGuid().ToString("N");

        using var watching = new CancellationTokenSource();
        var queries = WatchQueriesAsync(watching.Token);
        var run = await EngineCli.RunAsync(
            ["run", "--json", "-v", "--project", p.YamlPath, "--as-of", AsOf, "--threads", "2", .. p.Overrides.SelectMany(o => new[] { "--var", o })],
            new Dictionary<string, string?> { ["LACREI_SOURCE_URL"] = null, [TestPseudonyms.Variable] = key });
        await watching.CancelAsync();
        var seen = await queries;
        Assert.True(run.ExitCode == 0, run.ToString());

        // The ids of people: text pseudonyms of 32 hex characters, exactly the SPEC's HMAC with this key.
        var idColumns = await p.RowsAsync($"""
            SELECT table_schema || '.' || table_name, column_name FROM information_schema.columns
            WHERE table_schema IN ('{p.Schema("model").Trim('"')}', '{p.Schema("mart").Trim('"')}')
              AND column_name IN ({string.Join(", ", PeopleIds.Select(c => $"'{c}'"))})
            """);
        Assert.True(idColumns.Count >= 8, string.Join("\n", idColumns));
        foreach (var (table, column) in idColumns.Select(r => r.Split(" | ")).Select(r => (r[0], r[1])))
        {
            var quoted = "\"" + table.Replace(".", "\".\"") + "\"";
            var notPseudonyms = await p.ScalarAsync<long>($"SELECT count(*) FROM {quoted} WHERE {column}::text !~ '^[0-9a-f]{{32}}$'");
            Assert.True(notPseudonyms == 0, $"{table}.{column}: {notPseudonyms} values are not pseudonyms");
        }
        var appointment = (await p.RowsAsync("SELECT id, appointment_key FROM {staging2}.lacreiid_appointment ORDER BY id LIMIT 1"))[0].Split(" | ");
        Assert.Equal(TestPseudonyms.Of("appointment", appointment[0], key), appointment[1]);
        Assert.Equal(1, await p.ScalarAsync<long>($"SELECT count(*) FROM {{model}}.fact_lacreisaude_appointments WHERE appointment_id = '{appointment[1]}'"));
        Assert.True(await p.ScalarAsync<long>("SELECT count(*) FROM {model}.fact_lacreisaude_appointments WHERE patient_id IS NOT NULL") > 1000);

        // The key: in no table, rendered file, output line or query text.
        var dump = await DumpAsync(p);
        Assert.Contains("fact_lacreisaude_appointments", dump);
        Assert.DoesNotContain(key, dump);
        var target = Path.Combine(p.Dir, "target");
        var files = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("fact_lacreisaude_appointments.sql", StringComparison.Ordinal));
        Assert.All(files, file => Assert.DoesNotContain(key, File.ReadAllText(file)));
        Assert.DoesNotContain(key, run.Out + run.Error);
        // The watcher saw this run's statements (the key's own statement is too short to be caught
        // by polling every time; the steps that follow it in the same transaction are not).
        Assert.Contains(seen, q => q.Contains(p.Schema("model").Trim('"'), StringComparison.Ordinal));
        Assert.DoesNotContain(seen, q => q.Contains(key, StringComparison.Ordinal));
    }

    /// <summary>Every distinct query text pg_stat_activity shows, polled until cancelled.</summary>
    private static async Task<HashSet<string>> WatchQueriesAsync(CancellationToken ct)
    {
        var seen = new HashSet<string>();
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT query FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query <> ''", connection);
        while (!ct.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
                while (await reader.ReadAsync(CancellationToken.None)) seen.Add(reader.GetString(0));
            try { await Task.Delay(2, ct); } catch (OperationCanceledException) { }
        }
        return seen;
    }

    /// <summary>A plain-text pg_dump of every schema of the test's warehouse (schema and data).</summary>
    private static async Task<string> DumpAsync(IsolatedPipeline p)
    {
        var schemas = new[] { "staging1", "staging2", "model", "mart", "seeds", "meta" }.Select(k => p.Schema(k).Trim('"'));
        var start = new ProcessStartInfo(PgDump()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--dbname=" + Environment.GetEnvironmentVariable("DATABASE_URL"));
        foreach (var schema in schemas) start.ArgumentList.Add("--schema=" + schema);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }

    private static string PgDump() =>
        new[] { "/usr/lib/postgresql/15/bin/pg_dump" }.Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump"))
                : [])
            .FirstOrDefault(File.Exists) ?? "pg_dump";
}
