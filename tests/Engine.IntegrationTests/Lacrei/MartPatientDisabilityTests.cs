using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// mart.patient_disability (SPEC §9.5.2, §9.6) and the disability types of the patient dimension
/// (§9.4): the types of the patient's latest profile (latest updated_at, then highest id); a patient with two types counts in both;
/// patients without a type do not appear; small cells fold into 'Suprimido'.
/// Disability types (see <see cref="LacreiFixture.Lookups"/>): 1 física, 2 visual, 3 auditiva.
/// </summary>
public sealed class MartPatientDisabilityTests
{
    private const string Columns = """
        SELECT period_month, disability_type, total_patients, active_patients, inactive_patients
        FROM {mart}.patient_disability
        """;

    private static async Task<IsolatedPipeline> FixtureAsync()
    {
        var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientsAsync("""
            (1, '2025-10-01 10:00-03', '1990-01-01', true,  1, 1, 1),
            (2, '2025-10-02 10:00-03', '1990-01-01', true,  1, 1, 1),
            (3, '2025-10-03 10:00-03', '1990-01-01', false, 1, 1, 1),
            (4, '2025-10-04 10:00-03', '1990-01-01', true,  1, 1, 1),
            (5, '2025-10-05 10:00-03', '1990-01-01', true,  1, 1, 1),
            (6, '2025-10-06 10:00-03', '1990-01-01', NULL,  1, 1, 1),
            (7, '2025-10-07 10:00-03', '1990-01-01', true,  1, 1, 1),
            (8, '2025-11-08 10:00-03', '1990-01-01', true,  1, 1, 1),
            (9, '2025-09-09 10:00-03', '1990-01-01', true,  1, 1, 1),
            (10, '2025-09-10 10:00-03', '1990-01-01', true, 1, 1, 1)
            """);
        await p.SqlAsync("""
            -- a second profile: for patient 7 the later-updated one (70) counts; for patient 9 the
            -- later-updated one is the older id (9, updated on 2025-10-25); for patient 10 both were
            -- updated at the same instant and the highest id (100) counts
            INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id) VALUES
                (70, '2025-10-07 11:00-03', '2025-10-20 10:00-03', 7),
                (90, '2025-09-09 11:00-03', '2025-09-09 11:00-03', 9),
                (100, '2025-09-10 11:00-03', '2025-09-10 10:00-03', 10);
            UPDATE {s}.lacreiid_profile SET updated_at = '2025-10-25 10:00-03' WHERE id = 9;
            INSERT INTO {s}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id) VALUES
                (1, 1, 1), (2, 1, 2),      -- patient 1: física and visual
                (3, 2, 1),                 -- patient 2: física
                (4, 3, 1), (5, 3, 1),      -- patient 3: física, linked twice
                (6, 4, 2),                 -- patient 4: visual
                                           -- patient 5: none
                (7, 6, 3),                 -- patient 6: auditiva
                (8, 7, 2), (9, 70, 1),     -- patient 7: visual on the old profile, física on the latest
                (10, 8, 1),                -- patient 8 (November): física
                (11, 9, 3), (12, 90, 1),   -- patient 9 (September): auditiva on the profile that counts
                (13, 10, 1), (14, 100, 2); -- patient 10 (September): visual on the profile that counts
            """);
        return p;
    }

    [Fact]
    public async Task Patient_dimension_holds_the_sorted_distinct_types_of_the_latest_profile()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);
        AssertRowsInOrder([
            "1 | 1 | {\"Deficiência física\",\"Deficiência visual\"}",
            "2 | 2 | {\"Deficiência física\"}",
            "3 | 3 | {\"Deficiência física\"}",
            "4 | 4 | {\"Deficiência visual\"}",
            "5 | 5 | {}",
            "6 | 6 | {\"Deficiência auditiva\"}",
            "7 | 70 | {\"Deficiência física\"}",
            "8 | 8 | {\"Deficiência física\"}",
            "9 | 9 | {\"Deficiência auditiva\"}",
            "10 | 100 | {\"Deficiência visual\"}",
        ], await p.RowsWithSourceIdsAsync("SELECT patient_id, profile_id, disability_types FROM {model}.dim_lacreisaude_patient ORDER BY 1"));
    }

    [Fact]
    public async Task A_patient_with_two_types_counts_in_both_and_patients_without_a_type_do_not_appear()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"]);
        AssertRows([
            "2025-09-01 | Deficiência auditiva | 1 | 1 | 0",   // 9
            "2025-09-01 | Deficiência visual | 1 | 1 | 0",     // 10
            "2025-10-01 | Deficiência auditiva | 1 | 0 | 1",   // 6
            "2025-10-01 | Deficiência física | 4 | 3 | 1",     // 1, 2, 3, 7
            "2025-10-01 | Deficiência visual | 2 | 2 | 0",     // 1, 4
            "2025-11-01 | Deficiência física | 1 | 1 | 0",     // 8
        ], await p.RowsAsync(Columns));
    }

    [Fact]
    public async Task Types_with_fewer_than_min_cell_size_patients_fold_into_one_Suprimido_row_per_month()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=3"]);
        AssertRows([
            "2025-09-01 | Suprimido | 2 | 2 | 0",              // 9 and 10
            "2025-10-01 | Deficiência física | 4 | 3 | 1",     // 1, 2, 3, 7
            "2025-10-01 | Suprimido | 3 | 2 | 1",              // visual (1, 4) and auditiva (6): three people
            "2025-11-01 | Suprimido | 1 | 1 | 0",              // 8
        ], await p.RowsAsync(Columns));
    }
}
