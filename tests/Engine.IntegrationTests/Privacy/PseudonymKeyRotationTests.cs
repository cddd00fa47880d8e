using Lacrei.Engine.Tests.LacreiInsights;

namespace Lacrei.Engine.Tests.Privacy;

/// <summary>
/// SPEC §9.4: another key gives every person other ids. A run with a key that is not the one the
/// warehouse's pseudonyms were computed with would recompute only what changed and keep the
/// rest, publishing old and new ids side by side (a fact whose report_id no dimension holds, a
/// patient counted twice). Such a run is refused before anything changes (exit 2); rotating the
/// key is one <c>run --full-refresh</c> of every step that holds pseudonyms, and until one has
/// finished, no run may build on a warehouse that is half old key, half new.
/// </summary>
public sealed class PseudonymKeyRotationTests
{
    private const string Fact = "{model}.fact_lacreisaude_appointments";

    private static readonly string NewKey = "rotated-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(36));

    private static Task<CliOutcome> RunWith(IsolatedPipeline p, string key, params string[] args) =>
        p.Engine(new Dictionary<string, string?> { [TestPseudonyms.Variable] = key, ["LACREI_SOURCE_URL"] = null }, ["run", .. args]);

    /// <summary>Changes one appointment at the source, so that a normal run recomputes it (and only it).</summary>
    private static Task ChangeOneAppointmentAsync(IsolatedPipeline p) => p.ExecuteAsync("""
        UPDATE {source:app}.lacreiid_appointment SET status = CASE WHEN status = 'completed' THEN 'no_show' ELSE 'completed' END, updated_at = now()
        WHERE id = (SELECT min(id) FROM {source:app}.lacreiid_appointment WHERE deleted_at IS NULL)
        """);

    /// <summary>The Lacrei pipeline on the demo source at scale 1, built once with the test process's key.</summary>
    private static async Task<IsolatedPipeline> BuiltWithTheTestKeyAsync()
    {
        var p = IsolatedPipeline.Lacrei();
        await LacreiFixture.CreateSourceAsync(p, scale: 1);
        var first = await RunWith(p, TestPseudonyms.Key);
        Assert.True(first.ExitCode == 0, first.ToString());
        return p;
    }

    private static async Task<int> FactRowsOfKeyAsync(IsolatedPipeline p, string key)
    {
        var ids = await p.ScalarAsync<string>("SELECT string_agg(id::text, ',') FROM {source:app}.lacreiid_appointment WHERE deleted_at IS NULL");
        var pseudonyms = string.Join(",", ids.Split(',').Select(id => $"'{TestPseudonyms.Of("appointment", id, key)}'"));
        return (int)await p.ScalarAsync<long>($"SELECT count(*) FROM {Fact} WHERE appointment_id IN ({pseudonyms})");
    }

    [Fact]
    public async Task A_run_with_another_key_is_refused_until_a_full_refresh_rebuilds_every_pseudonym()
    {
        await using var p = await BuiltWithTheTestKeyAsync();
        var rows = (int)await p.ScalarAsync<long>($"SELECT count(*) FROM {Fact}");
        Assert.Equal(rows, await FactRowsOfKeyAsync(p, TestPseudonyms.Key));

        await ChangeOneAppointmentAsync(p);
        var before = await p.ContentAsync(Fact);
        var mixed = await RunWith(p, NewKey);
        Assert.True(mixed.ExitCode == 2, mixed.ToString());
        Assert.Contains("error: LACREI_PSEUDONYM_KEY is not the key this warehouse's pseudonyms were computed with", mixed.Error);
        Assert.Contains("hint: if the key was rotated on purpose, rebuild every step that holds pseudonyms in one run: engine run --full-refresh", mixed.Error);
        Assert.DoesNotContain(NewKey, mixed.Error + mixed.Out);
        Assert.DoesNotContain(TestPseudonyms.Key, mixed.Error + mixed.Out);
        Assert.Equal(before, await p.ContentAsync(Fact));

        // A full refresh of a part would leave the rest on the old key.
        var part = await RunWith(p, NewKey, "--full-refresh", "--only", "model+");
        Assert.True(part.ExitCode == 2, part.ToString());
        Assert.Contains("--full-refresh must select every step that holds pseudonyms; not selected: ", part.Error);
        Assert.Contains("staging2.lacreiid_appointment", part.Error);
        Assert.Equal(before, await p.ContentAsync(Fact));

        var rotation = await RunWith(p, NewKey, "--full-refresh");
        Assert.True(rotation.ExitCode == 0, rotation.ToString());
        Assert.Equal(rows, await FactRowsOfKeyAsync(p, NewKey));
        Assert.Equal(0, await FactRowsOfKeyAsync(p, TestPseudonyms.Key));

        await ChangeOneAppointmentAsync(p);
        var after = await RunWith(p, NewKey);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(rows, await FactRowsOfKeyAsync(p, NewKey));
        var back = await RunWith(p, TestPseudonyms.Key);
        Assert.True(back.ExitCode == 2, back.ToString());
        Assert.Equal(rows, await FactRowsOfKeyAsync(p, NewKey));
    }

    [Fact]
    public async Task A_rotation_that_did_not_finish_is_finished_before_any_run_builds_on_it()
    {
        await using var p = await BuiltWithTheTestKeyAsync();

        // The rotation's last step fails: the model holds new ids, that mart still the old ones.
        const string mart = "pipelines/lacrei/mart/patient_disability.sql";
        var sql = File.ReadAllText(Path.Combine(p.Dir, mart));
        p.EditFile(mart, s => s.TrimEnd() + "\nWHERE 1 / (SELECT 0) = 1\n");
        var broken = await RunWith(p, NewKey, "--full-refresh");
        Assert.True(broken.ExitCode == 1, broken.ToString());
        p.EditFile(mart, _ => sql);

        foreach (var (key, args) in new[] { (NewKey, Array.Empty<string>()), (TestPseudonyms.Key, []), (NewKey, ["--only", "mart"]) })
        {
            var refused = await RunWith(p, key, args);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains("the key rotation of run ", refused.Error);
            Assert.Contains("did not finish: the tables may hold pseudonyms of both keys", refused.Error);
        }

        var finished = await RunWith(p, NewKey, "--full-refresh");
        Assert.True(finished.ExitCode == 0, finished.ToString());
        var normal = await RunWith(p, NewKey);
        Assert.True(normal.ExitCode == 0, normal.ToString());
        Assert.Equal((int)await p.ScalarAsync<long>($"SELECT count(*) FROM {Fact}"), await FactRowsOfKeyAsync(p, NewKey));
    }
}
