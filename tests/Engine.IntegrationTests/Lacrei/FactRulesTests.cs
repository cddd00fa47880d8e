using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// The appointment fact (SPEC §9.4) and the marts built on it (§9.5.3, §9.5.4): soft deletes,
/// clinic fallback, latest report and cancellation, outcome flags, dates in São Paulo time,
/// waiting time, ratings outside 1–5.
/// </summary>
public sealed class FactRulesTests
{
    private static async Task<IsolatedPipeline> FixtureAsync()
    {
        var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.SqlAsync("""
            -- user 1 is a patient (has a profile); user 2 is not
            INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, is_active) VALUES
                (1, '2025-01-01', '2025-01-01', true),
                (2, '2025-01-01', '2025-01-01', true);
            INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id, ethnic_group_id) VALUES
                (1, '2025-01-01', '2025-01-01', 1, 2);

            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty, profile_status, active, published,
                                                      gender_identity_id, sexual_orientation_id, pronoun_id, ethnic_group_id) VALUES
                (1, '2025-01-01', '2025-01-01', 'Psicologia',  'approved', true,  true,  3,    3,    3,    2),
                (2, '2025-01-01', '2025-01-01', 'psiquiatria', 'approved', true,  false, 4,    NULL, 1,    1),
                (3, '2025-01-01', '2025-01-01', NULL,          NULL,       false, false, NULL, NULL, NULL, NULL);
            INSERT INTO {s}.lacreisaude_professional_disability_types (id, professional_id, disabilitytype_id) VALUES
                (1, 1, 3), (2, 1, 1), (3, 1, 3), (4, 2, 2);

            -- professional 1: one online clinic and one in-person clinic (the fallback can choose);
            -- professional 2: two online clinics (ambiguous) and one of them also in person; 3: none
            INSERT INTO {s}.lacreisaude_clinic (id, created_at, updated_at, professional_id, is_presential_clinic, is_online_clinic) VALUES
                (11, '2025-01-01', '2025-01-01', 1, false, true),
                (12, '2025-01-01', '2025-01-01', 1, true,  false),
                (21, '2025-01-01', '2025-01-01', 2, false, true),
                (22, '2025-01-01', '2025-01-01', 2, true,  true);

            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id, user_id, clinic_id, deleted_at) VALUES
                (1,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-05 14:00-03', 'completed',  'online',     1, 1,    NULL, NULL),
                (2,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-03 09:00-03', 'Realizada',  'presencial', 1, 1,    NULL, NULL),
                (3,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-01 18:00-03', 'agendada',   'online',     1, 2,    12,   NULL),
                (4,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-08 10:00-03', 'completed',  'Online',     2, 1,    NULL, NULL),
                (5,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-08 11:00-03', 'completed',  'Presencial', 2, 1,    NULL, NULL),
                (6,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-09 10:00-03', 'completed',  NULL,         1, 1,    NULL, NULL),
                (7,  '2025-09-01 10:00-03', '2025-09-02 10:00-03', '2025-09-10 10:00-03', 'completed',  'online',     1, 1,    NULL, '2025-09-02 10:00-03'),
                (8,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-11 10:00-03', 'completed',  'presencial', 1, 1,    NULL, NULL),
                (9,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-12 10:00-03', 'completed',  'online',     1, 1,    NULL, NULL),
                (10, '2025-10-01 10:00-03', '2025-10-01 10:00-03', '2025-10-31 23:30-03', 'no_show',    'online',     1, 1,    NULL, NULL),
                (11, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-15 10:00-03', 'completed',  'online',     1, 1,    NULL, NULL),
                (12, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-08-30 10:00-03', 'cancelado',  'online',     2, 1,    NULL, NULL),
                (13, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-20 10:00-03', 'no_show',    'online',     3, NULL, NULL, NULL),
                (14, '2025-09-30 23:00-03', '2025-09-30 23:00-03', '2025-09-30 23:30-03', 'scheduled',  'presencial', 1, 1,    NULL, NULL);

            INSERT INTO {s}.lacreiid_report (id, created_at, updated_at, appointment_id, eval) VALUES
                (1, '2025-09-12 12:00-03', '2025-09-12 12:00-03', 9,  5),
                (2, '2025-09-13 12:00-03', '2025-09-13 12:00-03', 9,  7),    -- latest: 7 is no rating, the older 5 is not used
                (3, '2025-09-16 12:00-03', '2025-09-16 12:00-03', 11, 4),
                (4, '2025-09-16 12:00-03', '2025-09-16 12:00-03', 11, 2),    -- same instant: the highest id wins
                (5, '2025-09-06 12:00-03', '2025-09-06 12:00-03', 1,  0),
                (6, '2025-09-04 12:00-03', '2025-09-04 12:00-03', 2,  4),
                (7, '2025-09-11 12:00-03', '2025-09-11 12:00-03', 7,  5);    -- of the soft-deleted appointment

            INSERT INTO {s}.lacreiid_cancellation (id, created_at, updated_at, appointment_id) VALUES
                (1, '2025-09-10 10:00-03', '2025-09-10 10:00-03', 8),        -- status says completed, but it was cancelled
                (2, '2025-09-19 10:00-03', '2025-09-19 10:00-03', 13),
                (3, '2025-09-30 23:10-03', '2025-09-30 23:10-03', 14),
                (4, '2025-09-30 23:20-03', '2025-09-30 23:20-03', 14);
            """);
        return p;
    }

    [Fact]
    public async Task Fact_has_one_row_per_appointment_not_soft_deleted_with_clinic_fallback_latest_report_and_flags()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);

        // appointment | patient | professional | clinic | report | rating | cancellation | created | date | status | modality | cancelled | completed | no-show | waiting
        AssertRowsInOrder([
            "1 | 1 | 1 | 11 | 5 | NULL | NULL | 20250901 | 20250905 | completed | online | f | t | f | 4",      // only online clinic; rating 0 → NULL
            "2 | 1 | 1 | 12 | 6 | 4 | NULL | 20250901 | 20250903 | completed | in_person | f | t | f | 2",      // only in-person clinic
            "3 | NULL | 1 | 12 | NULL | NULL | NULL | 20250901 | 20250901 | scheduled | online | f | f | f | 0", // own clinic; user 2 is no patient
            "4 | 1 | 2 | NULL | NULL | NULL | NULL | 20250901 | 20250908 | completed | online | f | t | f | 7",  // two online clinics: none chosen
            "5 | 1 | 2 | 22 | NULL | NULL | NULL | 20250901 | 20250908 | completed | in_person | f | t | f | 7",
            "6 | 1 | 1 | NULL | NULL | NULL | NULL | 20250901 | 20250909 | completed | unknown | f | t | f | 8",
            // 7 is soft-deleted: absent
            "8 | 1 | 1 | 12 | NULL | NULL | 1 | 20250901 | 20250911 | completed | in_person | t | f | f | 10",  // a cancellation exists
            "9 | 1 | 1 | 11 | 2 | NULL | NULL | 20250901 | 20250912 | completed | online | f | t | f | 11",
            "10 | 1 | 1 | 11 | NULL | NULL | NULL | 20251001 | 20251031 | no_show | online | f | f | t | 30",  // 23:30 on Oct 31 (Nov 1 in UTC)
            "11 | 1 | 1 | 11 | 4 | 2 | NULL | 20250901 | 20250915 | completed | online | f | t | f | 14",
            "12 | 1 | 2 | NULL | NULL | NULL | NULL | 20250901 | 20250830 | cancelled | online | t | f | f | NULL", // date before booking
            "13 | NULL | 3 | NULL | NULL | NULL | 2 | 20250901 | 20250920 | no_show | online | t | f | f | 19",    // cancelled no-show
            "14 | 1 | 1 | 12 | NULL | NULL | 4 | 20250930 | 20250930 | scheduled | in_person | t | f | f | 0",   // latest of two cancellations
        ], await p.RowsWithSourceIdsAsync("""
            SELECT appointment_id, patient_id, professional_id, clinic_id, report_id, rating, cancellation_id,
                   created_date_id, appointment_date_id, status, modality, is_cancelled, is_completed, is_no_show, waiting_time_days
            FROM {model}.fact_lacreisaude_appointments ORDER BY appointment_id
            """));

        // Ratings outside 1-5 are NULL (0 and 7), not clamped.
        AssertRowsInOrder(["1 | 5", "2 | NULL", "3 | 4", "4 | 2", "5 | NULL", "6 | 4", "7 | 5"],
            await p.RowsWithSourceIdsAsync("SELECT report_id, rating FROM {model}.dim_lacreisaude_report ORDER BY 1"));
    }

    [Fact]
    public async Task Dimensions_carry_trimmed_identity_texts_sorted_disability_types_and_a_calendar_widened_only_when_needed()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);
        // professional | specialty | gender identity | orientation | pronoun | ethnic group | disability types
        AssertRowsInOrder([
            "1 | Psicologia | Homem trans | Bissexual | elu/delu | Preta | {\"Deficiência auditiva\",\"Deficiência física\"}",
            "2 | Psiquiatria | Não-binárie | NULL | ela/dela | Branca | {\"Deficiência visual\"}",
            "3 | NULL | NULL | NULL | NULL | NULL | {}",
        ], await p.RowsAsync("""
            SELECT professional_id, specialty, gender_identity, sexual_orientation, pronoun, ethnic_group, disability_types
            FROM {model}.dim_lacreisaude_professional ORDER BY 1
            """));
        AssertRowsInOrder(["1 | Preta | {}"],
            await p.RowsWithSourceIdsAsync("SELECT patient_id, ethnic_group, disability_types FROM {model}.dim_lacreisaude_patient"));

        // Every date of the data lies in 2020-2030: exactly those 4,018 days.
        AssertRowsInOrder(["20200101 | 20301231 | 4018"],
            await p.RowsAsync("SELECT min(date_id), max(date_id), count(*) FROM {model}.dim_lacreisaude_date"));
        // date_id | date | day | month | year | ISO week | quarter | day of week (ISO, Monday = 1)
        AssertRowsInOrder(["20251031 | 2025-10-31 | 31 | 10 | 2025 | 44 | 4 | 5"], await p.RowsAsync("""
            SELECT date_id, calendar_date, day, month, year, iso_week, quarter, day_of_week
            FROM {model}.dim_lacreisaude_date WHERE date_id = 20251031
            """));
    }

    [Fact]
    public async Task Professionals_mart_counts_fact_rows_completed_ones_and_the_latest_valid_ratings()
    {
        await using var p = await FixtureAsync();
        // k = 1 publishes every count: the arithmetic is what this test shows (ProfessionalOutcomeSuppressionTests: k)
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"]);
        AssertRowsInOrder([
            // 9 appointments (7 is soft-deleted); completed 1, 2, 6, 9, 11; ratings 4 (appointment 2) and 2 (11)
            "1 | Psicologia | Não informado | approved | t | t | 9 | 5 | 2 | 3.00 | f",
            // no ratings: no average, so suppressed even at k = 1
            "2 | Psiquiatria | Não informado | approved | t | f | 3 | 2 | 0 | NULL | t",
            "3 | Não informado | Não informado | Não informado | f | f | 1 | 0 | 0 | NULL | t",
        ], await p.RowsAsync(Professionals));
    }

    [Fact]
    public async Task Professional_appointments_mart_counts_outcomes_by_modality_per_Sao_Paulo_month()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"]);
        // month | professional | specialty | total | completed | cancelled | no-show | online total, completed, cancelled |
        //   in person total, completed, cancelled | completion % | cancellation % | online % | in person % | avg waiting days
        AssertRowsInOrder([
            "2025-08-01 | 2 | Psiquiatria | 1 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 0 | 0 | 0.00 | 100.00 | 100.00 | NULL | NULL",
            // 1, 2, 3, 6, 8, 9, 11, 14; waiting 4 + 2 + 0 + 8 + 10 + 11 + 14 + 0 = 49 / 8 = 6.125
            "2025-09-01 | 1 | Psicologia | 8 | 5 | 2 | 0 | 4 | 3 | 0 | 3 | 1 | 2 | 62.50 | 25.00 | 0.00 | 66.67 | 6.13",
            "2025-09-01 | 2 | Psiquiatria | 2 | 2 | 0 | 0 | 1 | 1 | 0 | 1 | 1 | 0 | 100.00 | 0.00 | 0.00 | 0.00 | 7.00",
            "2025-09-01 | 3 | Não informado | 1 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 0 | 0 | 0.00 | 100.00 | 100.00 | NULL | 19.00",
            // appointment 10, at 23:30 on October 31 in São Paulo
            "2025-10-01 | 1 | Psicologia | 1 | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0.00 | 0.00 | 0.00 | NULL | 30.00",
        ], await p.RowsAsync(ProfessionalAppointments));
    }
}
