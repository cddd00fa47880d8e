using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Secondary suppression in mart.patient_disability (SPEC §9.6), at the production k = 5: per
/// month, the types below k are folded into one 'Suprimido' row (each patient once); while the
/// folded types cover fewer than 2 types or fewer than k distinct patients, the smallest published
/// cell (fewest patients, then type name) is folded too; a month whose every cell is folded
/// publishes its one 'Suprimido' row whatever its size. The privacy review recovered 12 cells
/// because 'Suprimido' was published for a single missing type.
/// Types (<see cref="LacreiFixture.Lookups"/>): 1 física, 2 visual, 3 auditiva, 4 intelectual.
/// </summary>
public sealed class PatientDisabilitySecondarySuppressionTests
{
    private const string Mart = """
        SELECT period_month, disability_type, total_patients, active_patients, inactive_patients
        FROM {mart}.patient_disability
        """;

    /// <summary>(first id, patients, signed up at, types, inactive ones), one closed month each (as of 2025-12-01).</summary>
    public const string Groups = """
        (100, 8, '2025-06-10 10:00-03', '{1}', 0), (110, 6, '2025-06-10 10:00-03', '{2}', 1),
        (120, 2, '2025-06-10 10:00-03', '{3}', 0), (130, 5, '2025-06-10 10:00-03', '{4}', 0),
        (200, 6, '2025-07-10 10:00-03', '{1}', 0), (210, 1, '2025-07-10 10:00-03', '{2}', 0),
        (220, 1, '2025-07-10 10:00-03', '{3}', 0),
        (300, 7, '2025-08-10 10:00-03', '{1}', 0), (310, 5, '2025-08-10 10:00-03', '{2}', 0),
        (320, 1, '2025-08-10 10:00-03', '{1,2}', 0), (330, 5, '2025-08-10 10:00-03', '{3}', 0),
        (400, 9, '2025-09-10 10:00-03', '{1}', 0), (410, 5, '2025-09-10 10:00-03', '{2}', 0),
        (420, 1, '2025-09-10 10:00-03', '{3}', 0), (430, 1, '2025-09-10 10:00-03', '{4}', 0),
        (440, 1, '2025-09-10 10:00-03', '{3,4}', 0),
        (500, 6, '2025-10-10 10:00-03', '{1}', 0), (510, 6, '2025-10-10 10:00-03', '{2}', 0),
        (520, 1, '2025-10-10 10:00-03', '{3}', 0)
        """;

    public static async Task<IsolatedPipeline> FixtureAsync()
    {
        var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientGroupsAsync(Groups);
        return p;
    }

    [Fact]
    public async Task Small_types_fold_then_the_smallest_published_until_the_folded_row_covers_two_types_and_k_patients()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);

        AssertRows([
            // June: auditiva (2) is below k and alone; intelectual (5), the smallest published, joins it: 7 patients
            "2025-06-01 | Deficiência física | 8 | 8 | 0",
            "2025-06-01 | Deficiência visual | 6 | 5 | 1",
            "2025-06-01 | Suprimido | 7 | 7 | 0",
            // July: visual (1) and auditiva (1) are two types but 2 patients; física (6) joins: the whole month, one row
            "2025-07-01 | Suprimido | 8 | 8 | 0",
            // August: no cell below k, nothing folded (the patient with física and visual counts in both)
            "2025-08-01 | Deficiência auditiva | 5 | 5 | 0",
            "2025-08-01 | Deficiência física | 8 | 8 | 0",
            "2025-08-01 | Deficiência visual | 6 | 6 | 0",
            // September: auditiva (2) and intelectual (2) share a patient: 3 people; visual (5) joins: 8, each once
            "2025-09-01 | Deficiência física | 9 | 9 | 0",
            "2025-09-01 | Suprimido | 8 | 8 | 0",
            // October: física and visual tie at 6; física comes first by name and joins auditiva (1)
            "2025-10-01 | Deficiência visual | 6 | 6 | 0",
            "2025-10-01 | Suprimido | 7 | 7 | 0",
        ], await p.RowsAsync(Mart));
    }

    [Fact]
    public async Task Every_Suprimido_row_of_a_closed_month_covers_two_types_and_k_patients_unless_it_is_the_whole_month()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);

        AssertRowsInOrder([], await p.RowsAsync(FoldedTooSmall));
    }

    /// <summary>
    /// The closed months whose 'Suprimido' row, beside published types, stands for one type or
    /// fewer than 5 people: read from the patient dimension, which the BI user cannot see.
    /// </summary>
    public const string FoldedTooSmall = """
        WITH patient_types AS (
            SELECT patient.signup_month AS period_month, patient.patient_id, coalesce(type, 'Não informado') AS disability_type
            FROM {model}.dim_lacreisaude_patient AS patient CROSS JOIN LATERAL unnest(patient.disability_types) AS type
        ),
        folded AS (
            SELECT period_month, count(DISTINCT disability_type) AS types, count(DISTINCT patient_id) AS patients
            FROM patient_types
            WHERE NOT EXISTS (SELECT FROM {mart}.patient_disability AS published
                              WHERE published.period_month = patient_types.period_month AND published.disability_type = patient_types.disability_type)
            GROUP BY period_month
        )
        SELECT folded.period_month, folded.types, folded.patients
        FROM folded
        WHERE (folded.types < 2 OR folded.patients < 5)
          AND EXISTS (SELECT FROM {mart}.patient_disability AS published
                      WHERE published.period_month = folded.period_month AND published.disability_type <> 'Suprimido')
        ORDER BY 1
        """;
}
