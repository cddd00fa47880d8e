using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// 'infinity' and '-infinity' are timestamps and dates PostgreSQL stores (an application's "never",
/// an import's placeholder), and bad source data never crashes the run (SPEC §9.3, issue 3). They
/// fall on no day: a date taken from one is NULL, read as unknown like a missing value (an
/// appointment's date or creation, a rating's, a cancellation's, a professional's sign-up), an
/// infinite birth date gives no age (N/I), and a user whose created_at is infinite has no sign-up
/// month, so lands in staging2.rejects. So do finite times outside the years 1-9999 (no date key,
/// no calendar holds them) and birth dates past any timestamp. Before, one such row stopped every
/// run ("timestamp out of range" extracting users or building the calendar, "date out of range for
/// timestamp", "cannot subtract infinite dates" in staging 2). Values that become
/// infinite on a later run, and finite again, give what a full refresh gives.
/// </summary>
public sealed class InfiniteTimestampsTests
{
    private const string Facts = """
        SELECT appointment_id, patient_id, created_date_id, appointment_date_id, waiting_time_days, is_cancelled, rating
        FROM {model}.fact_lacreisaude_appointments ORDER BY 1
        """;

    [Fact]
    public async Task Infinite_and_out_of_range_times_are_unknown_dates_a_user_without_a_sign_up_date_is_rejected_and_the_run_succeeds()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active) VALUES
                (1, '2025-10-01 10:00-03', '2025-10-01 10:00-03', 'infinity', true),
                (2, '2025-10-02 10:00-03', '2025-10-02 10:00-03', '-infinity', true),
                (3, 'infinity', '2025-10-02 10:00-03', '1990-01-01', true),
                (4, '-infinity', '2025-10-02 10:00-03', '1990-01-01', true),
                (5, '2025-10-03 10:00-03', '2025-10-03 10:00-03', '1990-01-01', true),
                (6, '2025-10-04 10:00-03', '2025-10-04 10:00-03', '5874897-12-31', true),
                (7, '4713-01-01 00:00+00 BC', '2025-10-04 10:00-03', '1990-01-01', true);
            INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id) VALUES
                (1, '2025-10-01 10:00-03', '2025-10-01 10:00-03', 1),
                (2, '2025-10-02 10:00-03', '2025-10-02 10:00-03', 2),
                (3, 'infinity', '2025-10-01 10:00-03', 3),
                (4, '-infinity', '2025-10-01 10:00-03', 4),
                (5, '2025-10-03 10:00-03', '2025-10-03 10:00-03', 5),
                (6, '2025-10-04 10:00-03', '2025-10-04 10:00-03', 6),
                (7, '2025-10-04 10:00-03', '2025-10-04 10:00-03', 7);
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty) VALUES
                (1, 'infinity', '2025-01-01', 'psicologia');
            INSERT INTO {s}.lacreisaude_clinic (id, created_at, updated_at, professional_id) VALUES
                (1, '-infinity', '2025-01-01', 1);
            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id, user_id) VALUES
                (1, '2025-10-05 10:00-03', '2025-10-05 10:00-03', 'infinity', 'completed', 'online', 1, 1),
                (2, '2025-10-05 10:00-03', '2025-10-05 10:00-03', '-infinity', 'completed', 'online', 1, 2),
                (3, 'infinity', '2025-10-05 10:00-03', '2025-10-06 10:00-03', 'completed', 'online', 1, 1),
                (4, '-infinity', '2025-10-05 10:00-03', '2025-10-06 10:00-03', 'completed', 'online', 1, 5),
                (5, '2025-10-05 10:00-03', '2025-10-05 10:00-03', '2025-10-06 10:00-03', 'completed', 'online', 1, 3),
                (6, '2025-10-05 10:00-03', '2025-10-05 10:00-03', '294276-12-31 10:00+00', 'completed', 'online', 1, 6);
            INSERT INTO {s}.lacreiid_report (id, created_at, updated_at, appointment_id, eval) VALUES
                (1, 'infinity', '2025-10-06 10:00-03', 5, 5),
                (2, '-infinity', '2025-10-06 10:00-03', 4, 4);
            INSERT INTO {s}.lacreiid_cancellation (id, created_at, updated_at, appointment_id) VALUES
                (1, 'infinity', '2025-10-06 10:00-03', 1),
                (2, '-infinity', '2025-10-06 10:00-03', 2);
            """);

        var result = await RunOkAsync(p);

        Assert.Equal(0, result.TestsFailed);
        AssertRowsInOrder([
            "staging2.lacreiid_user | 3 | created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)",
            "staging2.lacreiid_user | 4 | created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)",
            "staging2.lacreiid_user | 7 | created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)",
        ], await p.RowsAsync("SELECT step, source_key, reason FROM {staging2}.rejects ORDER BY 1, 2, 3"));
        Assert.Equal(3, result.RejectedRows);
        // Users 1, 2, 5 and 6 are patients; 1 and 2 have an infinite birth date, 6 one in the year 5874897 (no timestamp holds it), so no age.
        AssertRowsInOrder(["1 | 20251001 | N/I", "2 | 20251002 | N/I", "5 | 20251003 | 35-44", "6 | 20251004 | N/I"], await p.RowsWithSourceIdsAsync(
            "SELECT patient_id, to_char(signup_date, 'YYYYMMDD'), age_group FROM {model}.dim_lacreisaude_patient ORDER BY 1"));
        // Infinite dates are unknown: no date key, no waiting time; the rejected user's appointment has no patient.
        AssertRowsInOrder([
            "1 | 1 | 20251005 | NULL | NULL | t | NULL",
            "2 | 2 | 20251005 | NULL | NULL | t | NULL",
            "3 | 1 | NULL | 20251006 | NULL | f | NULL",
            "4 | 5 | NULL | 20251006 | NULL | f | 4",
            "5 | NULL | 20251005 | 20251006 | 1 | f | 5",
            "6 | 6 | 20251005 | NULL | NULL | f | NULL",
        ], await p.RowsWithSourceIdsAsync(Facts));
        AssertRowsInOrder(["20200101 | 20301231 | 4018"],
            await p.RowsAsync("SELECT min(date_id), max(date_id), count(*) FROM {model}.dim_lacreisaude_date"));
        await using var secondSet = new SecondSchemaSet(p);
        await secondSet.AssertEqualsFullRefreshAsync("infinite timestamps from the start");

        // Later runs: a user's sign-up becomes infinite (the user leaves), another's becomes finite
        // (the user arrives), an appointment's date becomes finite and another's infinite, with
        // updated_at left as it was. Each run equals a full refresh.
        await p.SqlAsync("""
            UPDATE {s}.lacreiid_user SET created_at = '-infinity' WHERE id = 5;
            UPDATE {s}.lacreiid_user SET created_at = '2025-09-01 10:00-03' WHERE id = 3;
            UPDATE {s}.lacreiid_appointment SET date = '2025-11-03 10:00-03' WHERE id = 1;
            UPDATE {s}.lacreiid_appointment SET date = 'infinity' WHERE id = 5;
            """);
        await RunOkAsync(p);
        AssertRowsInOrder([
            "staging2.lacreiid_user | 4 | created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)",
            "staging2.lacreiid_user | 5 | created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)",
            "staging2.lacreiid_user | 7 | created_at gives no sign-up date (NULL, infinite, or outside the years 1-9999)",
        ], await p.RowsAsync("SELECT step, source_key, reason FROM {staging2}.rejects ORDER BY 1, 2, 3"));
        AssertRowsInOrder(["1", "2", "3", "6"], await p.RowsWithSourceIdsAsync("SELECT patient_id FROM {model}.dim_lacreisaude_patient ORDER BY 1"));
        await secondSet.AssertEqualsFullRefreshAsync("timestamps that became infinite or finite");
    }
}
