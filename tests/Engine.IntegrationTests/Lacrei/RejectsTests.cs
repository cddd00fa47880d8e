using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Bad source data never crashes the run (SPEC §9.3, issue 3): rows that cannot be used land in
/// staging2.rejects with the step, the source key and the reason, are left out of staging 2, and
/// are counted in the run result; unusable optional values are read as unknown / NULL.
/// </summary>
public sealed class RejectsTests
{
    [Fact]
    public async Task Unusable_rows_land_in_rejects_with_a_reason_are_counted_in_the_run_result_and_the_run_succeeds()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active) VALUES
                (1, '2025-10-01 10:00-03', '2025-10-01 10:00-03', '2090-01-01', NULL),    -- born in the future
                (2, '2025-10-02 10:00-03', '2025-10-02 10:00-03', NULL, true);
            INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id) VALUES
                (1, '2025-10-01 10:00-03', '2025-10-01 10:00-03', NULL),                   -- belongs to no user
                (2, '2025-10-02 10:00-03', '2025-10-02 10:00-03', 2),
                (3, '2025-10-01 10:00-03', '2025-10-01 10:00-03', 1);
            INSERT INTO {s}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id) VALUES
                (1, NULL, 1),                                                              -- no profile
                (2, 2, NULL),                                                              -- no type
                (3, NULL, NULL),                                                           -- neither
                (4, 2, 2);
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty) VALUES
                (1, '2025-01-01', '2025-01-01', '???');
            INSERT INTO {s}.lacreisaude_professional_disability_types (id, professional_id, disabilitytype_id) VALUES
                (1, NULL, 1),                                                              -- no professional
                (2, 1, NULL),                                                              -- no type
                (3, 1, 3);
            INSERT INTO {s}.lacreisaude_clinic (id, created_at, updated_at, professional_id, consult_price, online_clinic_consult_price) VALUES
                (1, '2025-01-01', '2025-01-01', 1, 'R$ ,', '1,2,3');                       -- unparseable prices
            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id, user_id) VALUES
                (1, '2025-10-05 10:00-03', '2025-10-05 10:00-03', NULL, NULL, NULL, NULL, NULL),    -- no date, status, type, people
                (2, '2025-10-05 10:00-03', '2025-10-05 10:00-03', '2019-03-01 10:00-03', '', 'xyz', 1, 2),
                (3, '2025-10-05 10:00-03', '2025-10-05 10:00-03', '2031-06-01 10:00-03', 'completed', 'online', 1, 1);
            INSERT INTO {s}.lacreiid_report (id, created_at, updated_at, appointment_id, eval) VALUES
                (1, '2025-10-06 10:00-03', '2025-10-06 10:00-03', NULL, 5),               -- rates no appointment
                (2, '2025-10-06 10:00-03', '2025-10-06 10:00-03', 3, 99);
            INSERT INTO {s}.lacreiid_cancellation (id, created_at, updated_at, appointment_id) VALUES
                (1, '2025-10-06 10:00-03', '2025-10-06 10:00-03', NULL),                   -- cancels no appointment
                (2, '2025-10-06 10:00-03', '2025-10-06 10:00-03', 2);
            """);

        var run = await RunAsync(p);
        Assert.True(run.ExitCode == 0, run.ToString());
        var result = RunResultJson.Parse(run.Out);
        Assert.Equal("success", result.Status);
        Assert.Equal(0, result.TestsFailed);

        AssertRowsInOrder([
            "staging2.lacreiid_cancellation | 1 | appointment_id is NULL: the cancellation belongs to no appointment",
            "staging2.lacreiid_profile | 1 | user_id is NULL: the profile belongs to no user",
            "staging2.lacreiid_profile_disability_types | 1 | profile_id is NULL",
            "staging2.lacreiid_profile_disability_types | 2 | disabilitytype_id is NULL",
            "staging2.lacreiid_profile_disability_types | 3 | disabilitytype_id is NULL",
            "staging2.lacreiid_profile_disability_types | 3 | profile_id is NULL",
            "staging2.lacreiid_report | 1 | appointment_id is NULL: the rating belongs to no appointment",
            "staging2.lacreisaude_professional_disability_types | 1 | professional_id is NULL",
            "staging2.lacreisaude_professional_disability_types | 2 | disabilitytype_id is NULL",
        ], await p.RowsAsync("SELECT step, source_key, reason FROM {staging2}.rejects ORDER BY 1, 2, 3"));

        // Counted in the run result, by step and reason (one per row and reason of the rejects table).
        Assert.Equal(9, result.RejectedRows);
        AssertRows([
            "staging2.lacreiid_cancellation | appointment_id is NULL: the cancellation belongs to no appointment | 1",
            "staging2.lacreiid_profile | user_id is NULL: the profile belongs to no user | 1",
            "staging2.lacreiid_profile_disability_types | disabilitytype_id is NULL | 2",
            "staging2.lacreiid_profile_disability_types | profile_id is NULL | 2",
            "staging2.lacreiid_report | appointment_id is NULL: the rating belongs to no appointment | 1",
            "staging2.lacreisaude_professional_disability_types | disabilitytype_id is NULL | 1",
            "staging2.lacreisaude_professional_disability_types | professional_id is NULL | 1",
        ], result.Rejects.Select(r => $"{r.Step} | {r.Reason} | {r.Rows}"));

        // Staging 2 leaves out exactly the rejected rows.
        AssertRowsInOrder(["2", "3"], await p.RowsAsync("SELECT id FROM {staging2}.lacreiid_profile ORDER BY 1"));
        AssertRowsInOrder(["4"], await p.RowsAsync("SELECT id FROM {staging2}.lacreiid_profile_disability_types ORDER BY 1"));
        AssertRowsInOrder(["3"], await p.RowsAsync("SELECT id FROM {staging2}.lacreisaude_professional_disability_types ORDER BY 1"));
        AssertRowsInOrder(["2"], await p.RowsAsync("SELECT id FROM {staging2}.lacreiid_report ORDER BY 1"));
        AssertRowsInOrder(["2"], await p.RowsAsync("SELECT id FROM {staging2}.lacreiid_cancellation ORDER BY 1"));

        // Unusable optional values are kept and read as unknown / NULL.
        AssertRowsInOrder([
            "1 | NULL | NULL | NULL | NULL | unknown | unknown | f | NULL",
            "2 | 2 | 1 | 2 | 20190301 | unknown | unknown | t | NULL",
            "3 | 1 | 1 | NULL | 20310601 | completed | online | f | NULL",
        ], await p.RowsWithSourceIdsAsync("""
            SELECT appointment_id, patient_id, professional_id, cancellation_id, appointment_date_id, status, modality, is_cancelled, rating
            FROM {model}.fact_lacreisaude_appointments ORDER BY 1
            """));
        AssertRowsInOrder(["1 | NULL | N/I | NULL", "2 | NULL | N/I | t"],
            await p.RowsWithSourceIdsAsync("SELECT patient_id, age, age_group, is_active FROM {model}.dim_lacreisaude_patient ORDER BY 1"));
        // The calendar widens to the appointments of 2019 and 2031.
        AssertRowsInOrder(["20190301 | 20310601 | 4476"],
            await p.RowsAsync("SELECT min(date_id), max(date_id), count(*) FROM {model}.dim_lacreisaude_date"));
        AssertRowsInOrder(["1 | NULL | NULL"],
            await p.RowsAsync("SELECT clinic_id, consult_price, online_consult_price FROM {model}.dim_lacreisaude_clinic"));
        AssertRowsInOrder(["1 | Outra | Não informado | Não informado | NULL | NULL | 2 | NULL | 0 | NULL | t"], await p.RowsAsync(Professionals));
    }
}
