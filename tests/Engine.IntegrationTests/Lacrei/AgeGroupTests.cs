using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Age and age group at sign-up (SPEC §9.3): whole years from the birth date to the sign-up date
/// (the user's created_at as a date in vars.timezone); '&lt; 18', '18-24', '25-34', '35-44',
/// '45-54', '55+', and 'N/I' for a NULL birth date, a negative age or an age over 120. A
/// patient's group never changes afterwards, so the run date changes nothing (the privacy review
/// saw cells move when only --as-of moved).
/// </summary>
public sealed class AgeGroupTests
{
    /// <summary>Everyone signs up in October 2025 in the same group; only the birth date differs.</summary>
    private static async Task<IsolatedPipeline> FixtureAsync()
    {
        var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientsAsync("""
            (1,  '2025-10-15 10:00-03', '2007-10-16', true, 1, 1, 1),
            (2,  '2025-10-15 10:00-03', '2007-10-15', true, 1, 1, 1),
            (3,  '2025-10-15 10:00-03', '2000-10-16', true, 1, 1, 1),
            (4,  '2025-10-15 10:00-03', '2000-10-15', true, 1, 1, 1),
            (5,  '2025-10-15 10:00-03', '1970-10-16', true, 1, 1, 1),
            (6,  '2025-10-15 10:00-03', '1970-10-15', true, 1, 1, 1),
            (7,  '2025-10-15 10:00-03', NULL,         true, 1, 1, 1),
            (8,  '2025-10-15 10:00-03', '1895-10-15', true, 1, 1, 1),
            (9,  '2025-10-15 10:00-03', '2025-10-16', true, 1, 1, 1),
            (10, '2025-10-15 10:00-03', '1905-10-15', true, 1, 1, 1),
            (11, '2025-10-15 10:00-03', '1904-10-15', true, 1, 1, 1),
            (12, '2025-10-14 23:30-03', '2007-10-15', true, 1, 1, 1)
            """);
        return p;
    }

    private const string Dimension = "SELECT patient_id, signup_date, age, age_group FROM {model}.dim_lacreisaude_patient ORDER BY patient_id";
    private const string Mart = "SELECT period_month, age_group, total_patients FROM {mart}.patients";

    [Fact]
    public async Task Age_is_whole_years_from_birth_to_the_sign_up_date_in_Sao_Paulo_so_groups_change_exactly_on_the_birthday()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"]);

        AssertRowsInOrder([
            "1 | 2025-10-15 | 17 | < 18",        // 18 the day after signing up
            "2 | 2025-10-15 | 18 | 18-24",       // signed up on their 18th birthday
            "3 | 2025-10-15 | 24 | 18-24",
            "4 | 2025-10-15 | 25 | 25-34",
            "5 | 2025-10-15 | 54 | 45-54",
            "6 | 2025-10-15 | 55 | 55+",
            "7 | 2025-10-15 | NULL | N/I",       // no birth date
            "8 | 2025-10-15 | NULL | N/I",       // 130 years
            "9 | 2025-10-15 | NULL | N/I",       // born after signing up
            "10 | 2025-10-15 | 120 | 55+",
            "11 | 2025-10-15 | NULL | N/I",      // 121 years
            "12 | 2025-10-14 | 17 | < 18",       // 23:30 on the eve of the birthday in São Paulo (the birthday in UTC)
        ], await p.RowsWithSourceIdsAsync(Dimension));
        AssertRows([
            "2025-10-01 | < 18 | 2",
            "2025-10-01 | 18-24 | 2",
            "2025-10-01 | 25-34 | 1",
            "2025-10-01 | 45-54 | 1",
            "2025-10-01 | 55+ | 2",
            "2025-10-01 | N/I | 4",
        ], await p.RowsAsync(Mart));
    }

    [Theory]
    [InlineData("2025-12-02")]
    [InlineData("2026-12-01")]
    public async Task A_later_run_date_changes_no_age_so_the_dimension_and_the_mart_stay_the_same(string later)
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, asOf: "2025-12-01", target: SmallCells, vars: ["min_cell_size=1"]);
        var dimension = await p.RowsWithSourceIdsAsync(Dimension);
        var mart = await p.RowsAsync(Mart);

        await RunOkAsync(p, asOf: later, target: SmallCells, vars: ["min_cell_size=1"]);

        AssertRowsInOrder(dimension, await p.RowsWithSourceIdsAsync(Dimension));
        AssertRows(mart, await p.RowsAsync(Mart));
    }
}
