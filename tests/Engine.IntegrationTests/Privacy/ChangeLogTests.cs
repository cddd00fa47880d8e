using Lacrei.Engine.Tests.LacreiInsights;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.Privacy;

/// <summary>
/// SPEC §9.6 erasure: change logs hold keys and the scope columns their readers name, never a
/// sensitive attribute or a full row image (old values of updated rows included), and an entry
/// is removed as soon as every step reading its log has read it.
/// </summary>
public sealed class ChangeLogTests
{
    /// <summary>Patients whose birth date, gender identity and pronoun change, and one who leaves.</summary>
    private const string IdentityChanges = """
        UPDATE {s}.lacreiid_user SET birth_date = '1950-01-01', updated_at = '2025-08-01 10:00-03' WHERE id % 97 = 1;
        UPDATE {s}.lacreiid_profile SET gender_identity_id = 4, pronoun_id = NULL, updated_at = '2025-08-01 10:00-03' WHERE id % 53 = 0;
        DELETE FROM {s}.lacreiid_profile_disability_types WHERE id % 13 = 0;
        """;

    [Fact]
    public async Task Entries_a_step_not_selected_still_has_to_read_hold_only_keys_and_the_scope_columns_readers_name()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);

        await p.SqlAsync(IdentityChanges);
        // The model is not selected: staging 2's logs wait for it, so they must hold nothing sensitive.
        await RunOkAsync(p, args: ["run", "--json", "--only", "staging1,staging2"]);

        Assert.True(await p.ScalarAsync<long>("SELECT count(*) FROM {meta}.changes") > 0, "the model's logs are waiting to be read");
        AssertRows([
            "staging2.lacreiid_profile | id",
            "staging2.lacreiid_profile | user_id",
            "staging2.lacreiid_profile_disability_types | id",
            "staging2.lacreiid_profile_disability_types | profile_id",
            "staging2.lacreiid_user | id",
            // the date dimension's scope widens the calendar by a sign-up date outside 2020-2030
            "staging2.lacreiid_user | signup_date",
        ], await p.RowsAsync("SELECT DISTINCT c.step, k.key FROM {meta}.changes AS c CROSS JOIN LATERAL jsonb_object_keys(c.image) AS k(key)"));
    }

    [Fact]
    public async Task A_normal_run_of_the_whole_pipeline_leaves_no_entry_behind()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);
        AssertRows([], await p.RowsAsync(EntriesByStep));

        await p.SqlAsync(IdentityChanges);
        var run = await RunOkAsync(p);
        Assert.Contains(run.Steps, s => s.Step == "model.dim_lacreisaude_patient" && s.Rows > 0);
        AssertRows([], await p.RowsAsync(EntriesByStep));
    }

    private const string EntriesByStep = "SELECT step, count(*) FROM {meta}.changes GROUP BY step";
}
