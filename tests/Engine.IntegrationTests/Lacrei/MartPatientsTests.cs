using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// mart.patients (SPEC §9.5.1, §9.6): sign-ups per month and demographic group, small cells
/// generalised step by step, growth against the previous calendar month of the published rows.
/// Patients are written out as (id, signed up at, birth date, is_active, gender identity,
/// sexual orientation, pronoun) with the ids of <see cref="LacreiFixture.Lookups"/>:
/// gender 1 Mulher cis, 2 Mulher trans, 3 'Homem trans ', 4 Não-binárie; orientation 1 Lésbica,
/// 2 Gay, 3 ' Bissexual', 4 Queer; pronoun 1 ela/dela, 2 ele/dele, 3 'elu/delu '.
/// </summary>
public sealed class MartPatientsTests
{
    private const string Columns = """
        SELECT period_month, age_group, gender_identity, sexual_orientation, pronoun,
               total_patients, active_patients, inactive_patients, active_percentage, growth_rate
        FROM {mart}.patients
        """;

    [Fact]
    public async Task Small_cells_are_generalised_pronoun_first_then_orientation_gender_and_age_group()
    {
        await using var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        // at sign-up in October 2025: born 1995 → 25-34, 1985 → 35-44, 1960 → 55+
        await p.InsertPatientsAsync("""
            (1, '2025-10-02 10:00-03', '1995-03-10', true,  2, 3,    1),
            (2, '2025-10-03 10:00-03', '1995-03-10', false, 2, 3,    1),
            (3, '2025-10-04 10:00-03', '1995-03-10', true,  2, 3,    3),
            (4, '2025-10-05 10:00-03', '1995-03-10', NULL,  2, 3,    NULL),
            (5, '2025-10-06 10:00-03', '1995-03-10', true,  2, 2,    1),
            (6, '2025-10-07 10:00-03', '1995-03-10', true,  2, NULL, 2),
            (7, '2025-10-08 10:00-03', '1985-03-10', true,  3, 2,    2),
            (8, '2025-10-09 10:00-03', '1985-03-10', false, NULL, 4, 3),
            (9, '2025-10-10 10:00-03', '1960-01-01', true,  1, 1,    1)
            """);

        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=2"]);
        AssertRows([
            // (0) full grain: 1 and 2
            "2025-10-01 | 25-34 | Mulher trans | Bissexual | ela/dela | 2 | 1 | 1 | 50.00 | NULL",
            // (1) pronoun generalised: 3 (elu/delu) and 4 (no pronoun; is_active NULL counts as inactive)
            "2025-10-01 | 25-34 | Mulher trans | Bissexual | Suprimido | 2 | 1 | 1 | 50.00 | NULL",
            // (2) orientation too: 5 (Gay) and 6 (no orientation)
            "2025-10-01 | 25-34 | Mulher trans | Suprimido | Suprimido | 2 | 2 | 0 | 100.00 | NULL",
            // (3) gender identity too: 7 (Homem trans) and 8 (no gender identity)
            "2025-10-01 | 35-44 | Suprimido | Suprimido | Suprimido | 2 | 1 | 1 | 50.00 | NULL",
            // (4) what is left: 9 alone, published whatever its size
            "2025-10-01 | Suprimido | Suprimido | Suprimido | Suprimido | 1 | 1 | 0 | 100.00 | NULL",
        ], await p.RowsAsync(Columns));

        // min_cell_size 1 turns folding off; a NULL attribute reads 'Não informado'; texts are trimmed.
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"]);
        AssertRows([
            "2025-10-01 | 25-34 | Mulher trans | Bissexual | ela/dela | 2 | 1 | 1 | 50.00 | NULL",
            "2025-10-01 | 25-34 | Mulher trans | Bissexual | elu/delu | 1 | 1 | 0 | 100.00 | NULL",
            "2025-10-01 | 25-34 | Mulher trans | Bissexual | Não informado | 1 | 0 | 1 | 0.00 | NULL",
            "2025-10-01 | 25-34 | Mulher trans | Gay | ela/dela | 1 | 1 | 0 | 100.00 | NULL",
            "2025-10-01 | 25-34 | Mulher trans | Não informado | ele/dele | 1 | 1 | 0 | 100.00 | NULL",
            "2025-10-01 | 35-44 | Homem trans | Gay | ele/dele | 1 | 1 | 0 | 100.00 | NULL",
            "2025-10-01 | 35-44 | Não informado | Queer | elu/delu | 1 | 0 | 1 | 0.00 | NULL",
            "2025-10-01 | 55+ | Mulher cis | Lésbica | ela/dela | 1 | 1 | 0 | 100.00 | NULL",
        ], await p.RowsAsync(Columns));
    }

    /// <summary>
    /// Group G = 18-24 / Mulher cis / Lésbica / ela/dela. July: 1 person; August: nobody;
    /// September: 4; October: 5 (the last at 23:30 on the 31st, São Paulo time, which is
    /// November in UTC) and a user without a profile (not a patient); November: 1 (at 22:00 on
    /// the 30th, December in UTC).
    /// </summary>
    private static async Task<IsolatedPipeline> GrowthFixtureAsync()
    {
        var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientsAsync("""
            (1,  '2025-07-15 10:00-03', '2004-05-05', true,  1, 1, 1),
            (2,  '2025-09-01 00:10-03', '2004-05-05', true,  1, 1, 1),
            (3,  '2025-09-10 10:00-03', '2004-05-05', true,  1, 1, 1),
            (4,  '2025-09-20 10:00-03', '2004-05-05', false, 1, 1, 1),
            (5,  '2025-09-30 20:00-03', '2004-05-05', NULL,  1, 1, 1),
            (6,  '2025-10-01 08:00-03', '2004-05-05', true,  1, 1, 1),
            (7,  '2025-10-05 10:00-03', '2004-05-05', true,  1, 1, 1),
            (8,  '2025-10-10 10:00-03', '2004-05-05', true,  1, 1, 1),
            (9,  '2025-10-20 10:00-03', '2004-05-05', true,  1, 1, 1),
            (10, '2025-10-31 23:30-03', '2004-05-05', true,  1, 1, 1),
            (12, '2025-11-30 22:00-03', '2004-05-05', true,  1, 1, 1)
            """);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active) VALUES
                (11, '2025-10-15 10:00-03', '2025-10-15 10:00-03', '2004-05-05', true);
            """);
        return p;
    }

    [Fact]
    public async Task At_min_cell_size_4_a_group_of_4_is_published_and_growth_compares_with_the_previous_calendar_month()
    {
        await using var p = await GrowthFixtureAsync();
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=4"]);
        AssertRows([
            "2025-07-01 | Suprimido | Suprimido | Suprimido | Suprimido | 1 | 1 | 0 | 100.00 | NULL",
            // August is empty: no growth against it (July is not the previous calendar month)
            "2025-09-01 | 18-24 | Mulher cis | Lésbica | ela/dela | 4 | 2 | 2 | 50.00 | NULL",
            // 100 × (5 − 4) / 4
            "2025-10-01 | 18-24 | Mulher cis | Lésbica | ela/dela | 5 | 5 | 0 | 100.00 | 25.00",
            // October published no all-Suprimido row
            "2025-11-01 | Suprimido | Suprimido | Suprimido | Suprimido | 1 | 1 | 0 | 100.00 | NULL",
        ], await p.RowsAsync(Columns));
    }

    [Fact]
    public async Task At_min_cell_size_5_the_group_of_4_is_folded_and_growth_is_computed_on_published_rows()
    {
        await using var p = await GrowthFixtureAsync();
        await RunOkAsync(p, vars: ["min_cell_size=5"]);
        AssertRows([
            "2025-07-01 | Suprimido | Suprimido | Suprimido | Suprimido | 1 | 1 | 0 | 100.00 | NULL",
            "2025-09-01 | Suprimido | Suprimido | Suprimido | Suprimido | 4 | 2 | 2 | 50.00 | NULL",
            // September published no row of group G
            "2025-10-01 | 18-24 | Mulher cis | Lésbica | ela/dela | 5 | 5 | 0 | 100.00 | NULL",
            "2025-11-01 | Suprimido | Suprimido | Suprimido | Suprimido | 1 | 1 | 0 | 100.00 | NULL",
        ], await p.RowsAsync(Columns));
    }

    [Fact]
    public async Task Month_totals_are_exact_whatever_the_folding_and_users_without_a_profile_are_not_patients()
    {
        await using var p = await GrowthFixtureAsync();
        foreach (var k in new[] { 1, 4, 5, 100 })
        {
            await RunOkAsync(p, target: SmallCells, vars: [$"min_cell_size={k}"]);
            AssertRowsInOrder(["2025-07-01 | 1", "2025-09-01 | 4", "2025-10-01 | 5", "2025-11-01 | 1"],
                await p.RowsAsync("SELECT period_month, sum(total_patients) FROM {mart}.patients GROUP BY 1 ORDER BY 1"));
        }
        AssertRowsInOrder(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "12"],
            await p.RowsWithSourceIdsAsync("SELECT patient_id FROM {model}.dim_lacreisaude_patient ORDER BY 1"));
    }
}
