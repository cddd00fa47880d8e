using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Age and age group (SPEC §9.3): whole years from the birth date to run.as_of; '&lt; 18',
/// '18-24', '25-34', '35-44', '45-54', '55+', and 'N/I' for a NULL birth date, a negative age or an
/// age over 120. The run date comes from --as-of, never from the server's clock.
/// </summary>
public sealed class AgeGroupTests
{
    /// <summary>Everyone signs up in October 2025 in the same group; only the birth date differs.</summary>
    private static async Task<IsolatedPipeline> FixtureAsync()
    {
        var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientsAsync("""
            (1,  '2025-10-15 10:00-03', '2007-12-02', true, 1, 1, 1),
            (2,  '2025-10-15 10:00-03', '2007-12-01', true, 1, 1, 1),
            (3,  '2025-10-15 10:00-03', '2000-12-02', true, 1, 1, 1),
            (4,  '2025-10-15 10:00-03', '2000-12-01', true, 1, 1, 1),
            (5,  '2025-10-15 10:00-03', '1970-12-02', true, 1, 1, 1),
            (6,  '2025-10-15 10:00-03', '1970-12-01', true, 1, 1, 1),
            (7,  '2025-10-15 10:00-03', NULL,         true, 1, 1, 1),
            (8,  '2025-10-15 10:00-03', '1895-12-01', true, 1, 1, 1),
            (9,  '2025-10-15 10:00-03', '2026-03-01', true, 1, 1, 1),
            (10, '2025-10-15 10:00-03', '1905-12-01', true, 1, 1, 1),
            (11, '2025-10-15 10:00-03', '1904-12-01', true, 1, 1, 1)
            """);
        return p;
    }

    private const string Dimension = "SELECT patient_id, age, age_group FROM {model}.dim_lacreisaude_patient ORDER BY patient_id";
    private const string Mart = "SELECT period_month, age_group, total_patients FROM {mart}.patients";

    private static readonly string[] DimensionOnDecember1 = [
        "1 | 17 | < 18",        // 18 tomorrow
        "2 | 18 | 18-24",       // 18 today
        "3 | 24 | 18-24",
        "4 | 25 | 25-34",
        "5 | 54 | 45-54",
        "6 | 55 | 55+",
        "7 | NULL | N/I",       // no birth date
        "8 | NULL | N/I",       // 130 years
        "9 | NULL | N/I",       // born in the future
        "10 | 120 | 55+",
        "11 | NULL | N/I",      // 121 years
    ];

    private static readonly string[] MartOnDecember1 = [
        "2025-10-01 | < 18 | 1",
        "2025-10-01 | 18-24 | 2",
        "2025-10-01 | 25-34 | 1",
        "2025-10-01 | 45-54 | 1",
        "2025-10-01 | 55+ | 2",
        "2025-10-01 | N/I | 4",
    ];

    [Fact]
    public async Task Age_groups_change_exactly_on_the_birthday_at_17_18_24_25_54_55_and_NULL_or_over_120_is_NI()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, asOf: "2025-12-01", vars: ["min_cell_size=1"]);
        AssertRowsInOrder(DimensionOnDecember1, await p.RowsAsync(Dimension));
        AssertRows(MartOnDecember1, await p.RowsAsync(Mart));
    }

    [Fact]
    public async Task As_of_pins_the_ages_so_the_same_data_one_day_later_moves_people_across_boundaries_and_back()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p, asOf: "2025-12-01", vars: ["min_cell_size=1"]);

        await RunOkAsync(p, asOf: "2025-12-02", vars: ["min_cell_size=1"]);
        AssertRowsInOrder([
            "1 | 18 | 18-24",
            "2 | 18 | 18-24",
            "3 | 25 | 25-34",
            "4 | 25 | 25-34",
            "5 | 55 | 55+",
            "6 | 55 | 55+",
            "7 | NULL | N/I",
            "8 | NULL | N/I",
            "9 | NULL | N/I",
            "10 | 120 | 55+",
            "11 | NULL | N/I",
        ], await p.RowsAsync(Dimension));
        AssertRows([
            "2025-10-01 | 18-24 | 2",
            "2025-10-01 | 25-34 | 2",
            "2025-10-01 | 55+ | 3",
            "2025-10-01 | N/I | 4",
        ], await p.RowsAsync(Mart));

        // Pinned: running again as of December 1 gives back exactly the first result.
        await RunOkAsync(p, asOf: "2025-12-01", vars: ["min_cell_size=1"]);
        AssertRowsInOrder(DimensionOnDecember1, await p.RowsAsync(Dimension));
        AssertRows(MartOnDecember1, await p.RowsAsync(Mart));
    }
}
