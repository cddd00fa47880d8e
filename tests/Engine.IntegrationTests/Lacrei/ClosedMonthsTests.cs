using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Only closed months are broken down (SPEC §9.5): in mart.patients and mart.patient_disability the
/// month that contains run.as_of and every later month are one row per month, every sensitive
/// attribute 'Suprimido', holding the month's totals, whatever k is. Shown at k = 1 (a target that
/// allows small cells), so that size is not what hides them. The privacy review saw one new
/// sign-up move a cell 6 → 7 between two releases.
/// Patients (<see cref="LacreiFixture.Lookups"/>): November 2025: 1 and 2; December: 3, 4 and 5
/// (signed up on the 1st); January 2026: 6.
/// </summary>
public sealed class ClosedMonthsTests
{
    private const string Patients = """
        SELECT period_month, age_group, gender_identity, sexual_orientation, pronoun,
               total_patients, active_patients, inactive_patients, active_percentage, growth_rate
        FROM {mart}.patients
        """;

    private const string Disability = """
        SELECT period_month, disability_type, total_patients, active_patients, inactive_patients
        FROM {mart}.patient_disability
        """;

    private static async Task<IsolatedPipeline> FixtureAsync()
    {
        var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientsAsync("""
            (1, '2025-11-05 10:00-03', '1995-01-01', true,  1, 1, 1),
            (2, '2025-11-06 10:00-03', '1985-01-01', false, 2, 2, 2),
            (3, '2025-12-01 09:00-03', '1995-01-01', true,  1, 1, 1),
            (4, '2025-12-01 09:30-03', '1995-01-01', false, 3, 3, 3),
            (5, '2025-12-01 10:00-03', '1975-01-01', true,  2, 2, 2),
            (6, '2026-01-03 10:00-03', '1995-01-01', true,  1, 1, 1)
            """);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id) VALUES
                (1, 1, 1), (2, 2, 2), (3, 3, 1), (4, 4, 1), (5, 4, 2), (6, 5, 2), (7, 6, 1);
            """);
        return p;
    }

    [Fact]
    public async Task The_month_of_the_run_date_and_later_months_are_one_Suprimido_row_each_with_the_months_totals()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, asOf: "2025-12-01", target: SmallCells, vars: ["min_cell_size=1"]);

        AssertRows([
            "2025-11-01 | 25-34 | Mulher cis | Lésbica | ela/dela | 1 | 1 | 0 | 100.00 | NULL",
            "2025-11-01 | 35-44 | Mulher trans | Gay | ele/dele | 1 | 0 | 1 | 0.00 | NULL",
            "2025-12-01 | Suprimido | Suprimido | Suprimido | Suprimido | 3 | 2 | 1 | 66.67 | NULL",
            // growth against December's published row: 100 × (1 − 3) / 3
            "2026-01-01 | Suprimido | Suprimido | Suprimido | Suprimido | 1 | 1 | 0 | 100.00 | -66.67",
        ], await p.RowsAsync(Patients));
        AssertRows([
            "2025-11-01 | Deficiência física | 1 | 1 | 0",
            "2025-11-01 | Deficiência visual | 1 | 0 | 1",
            // patient 4 has both types and counts once
            "2025-12-01 | Suprimido | 3 | 2 | 1",
            "2026-01-01 | Suprimido | 1 | 1 | 0",
        ], await p.RowsAsync(Disability));
    }

    [Fact]
    public async Task When_the_run_date_enters_the_next_month_the_closed_month_is_broken_down()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, asOf: "2025-12-01", target: SmallCells, vars: ["min_cell_size=1"]);

        await RunOkAsync(p, asOf: "2026-01-15", target: SmallCells, vars: ["min_cell_size=1"]);

        AssertRows([
            "2025-11-01 | 25-34 | Mulher cis | Lésbica | ela/dela | 1 | 1 | 0 | 100.00 | NULL",
            "2025-11-01 | 35-44 | Mulher trans | Gay | ele/dele | 1 | 0 | 1 | 0.00 | NULL",
            "2025-12-01 | 25-34 | Homem trans | Bissexual | elu/delu | 1 | 0 | 1 | 0.00 | NULL",
            "2025-12-01 | 25-34 | Mulher cis | Lésbica | ela/dela | 1 | 1 | 0 | 100.00 | 0.00",
            "2025-12-01 | 45-54 | Mulher trans | Gay | ele/dele | 1 | 1 | 0 | 100.00 | NULL",
            "2026-01-01 | Suprimido | Suprimido | Suprimido | Suprimido | 1 | 1 | 0 | 100.00 | NULL",
        ], await p.RowsAsync(Patients));
        AssertRows([
            "2025-11-01 | Deficiência física | 1 | 1 | 0",
            "2025-11-01 | Deficiência visual | 1 | 0 | 1",
            "2025-12-01 | Deficiência física | 2 | 1 | 1",
            "2025-12-01 | Deficiência visual | 2 | 1 | 1",
            "2026-01-01 | Suprimido | 1 | 1 | 0",
        ], await p.RowsAsync(Disability));
    }
}
