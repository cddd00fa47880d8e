using static Lacrei.Engine.Tests.LacreiInsights.DisclosureAttacks;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// The privacy review's attacks (issue 17, <see cref="DisclosureAttacks"/>) over hand-built
/// fixtures at the production k = 5: each recovers nothing. The same fixtures recovered a
/// disability cell, a no-show and a new patient's group before the rules of SPEC §9.5 and §9.6.
/// </summary>
public sealed class DisclosureAttackTests
{
    [Fact]
    public async Task Subtracting_the_published_disability_types_from_the_known_ones_names_no_Suprimido_row()
    {
        await using var p = await PatientDisabilitySecondarySuppressionTests.FixtureAsync();
        await RunOkAsync(p);

        // The attack has material: months with a Suprimido row beside published types.
        Assert.True(3L <= await p.ScalarAsync<long>("""
            SELECT count(DISTINCT period_month) FROM {mart}.patient_disability AS s
            WHERE disability_type = 'Suprimido'
              AND EXISTS (SELECT FROM {mart}.patient_disability AS t WHERE t.period_month = s.period_month AND t.disability_type <> 'Suprimido')
            """), "no month has a Suprimido row beside a published type");
        AssertRowsInOrder([], await p.RowsAsync(SubtractionInPatientDisability));
    }

    [Fact]
    public async Task No_row_shows_the_outcome_of_fewer_than_five_appointments_or_ratings_of_a_named_professional()
    {
        await using var p = await ProfessionalOutcomeSuppressionTests.FixtureAsync();
        await RunOkAsync(p);

        AssertRowsInOrder([], await p.RowsAsync(OutcomesOfFewerThanFive));
    }

    /// <summary>
    /// As of 2025-12-01, December is the open month. Between two releases one person signs up and
    /// one December patient changes gender identity; the reader compares the releases.
    /// </summary>
    [Fact]
    public async Task Comparing_releases_around_a_sign_up_and_an_identity_change_this_month_shows_only_the_months_totals()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientGroupsAsync("""
            (100, 6, '2025-11-10 10:00-03', '{1}', 1), (110, 6, '2025-11-11 10:00-03', '{2}', 0),
            (200, 6, '2025-12-01 08:00-03', '{1}', 0), (210, 1, '2025-12-01 08:30-03', '{3}', 0)
            """);
        await RunOkAsync(p);
        var before = await PatientReleaseAsync(p);

        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active) VALUES
                (900, '2025-12-01 09:00-03', '2025-12-01 09:00-03', '2000-01-01', true);
            INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id, gender_identity_id, sexual_orientation_id, pronoun_id) VALUES
                (900, '2025-12-01 09:00-03', '2025-12-01 09:00-03', 900, 4, 4, 3);
            INSERT INTO {s}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id) VALUES (9000, 900, 2);
            UPDATE {s}.lacreiid_profile SET gender_identity_id = 3, updated_at = '2025-12-01 09:10-03' WHERE id = 200;
            """);
        await RunOkAsync(p);
        var after = await PatientReleaseAsync(p);

        AssertRowsInOrder([], BrokenDownDifferences(before, after));
        AssertRowsInOrder(["2025-12-01"], MonthsThatDiffer(before, after));
        AssertRows([
            "patients | 2025-12-01 | Suprimido | Suprimido | Suprimido | Suprimido | 8 | 8 | 0",
            "patient_disability | 2025-12-01 | Suprimido | 8 | 8 | 0",
        ], after.Except(before));
    }
}
