using static Lacrei.Engine.Tests.LacreiInsights.DisclosureAttacks;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>The demo at scale 10 (about 100,000 appointments), run once for the attacks that only read.</summary>
public sealed class DemoAtScale10 : IAsyncLifetime
{
    public IsolatedPipeline Pipeline { get; } = IsolatedPipeline.Lacrei();

    public async Task InitializeAsync()
    {
        await CreateSourceAsync(Pipeline, scale: 10);
        await RunOkAsync(Pipeline);
    }

    public async Task DisposeAsync() => await Pipeline.DisposeAsync();
}

/// <summary>
/// The privacy review's attacks (issue 17, <see cref="DisclosureAttacks"/>) over the demo's
/// synthetic data at the production k = 5: each recovers nothing. Before SPEC §9.5/§9.6's rules
/// the demo at scale 10 gave away 8 disability cells by subtraction and thousands of single
/// appointment outcomes.
/// </summary>
public sealed class DemoDisclosureAttackTests(DemoAtScale10 demo) : IClassFixture<DemoAtScale10>
{
    [Fact]
    public async Task Subtracting_the_published_disability_types_from_the_known_ones_names_no_Suprimido_row()
    {
        var p = demo.Pipeline;

        Assert.True(await p.ScalarAsync<long>("""
            SELECT count(DISTINCT period_month) FROM {mart}.patient_disability AS s
            WHERE disability_type = 'Suprimido'
              AND EXISTS (SELECT FROM {mart}.patient_disability AS t WHERE t.period_month = s.period_month AND t.disability_type <> 'Suprimido')
            """) >= 20, "fewer than 20 months with a Suprimido row beside published types: the attack has little to work on");
        AssertRowsInOrder([], await p.RowsAsync(SubtractionInPatientDisability));
        AssertRowsInOrder([], await p.RowsAsync(PatientDisabilitySecondarySuppressionTests.FoldedTooSmall));
    }

    [Fact]
    public async Task No_row_shows_the_outcome_of_fewer_than_five_appointments_or_ratings_of_a_named_professional()
    {
        var p = demo.Pipeline;

        Assert.True(await p.ScalarAsync<long>("SELECT count(*) FROM {mart}.professional_appointments WHERE professional_id IS NOT NULL") >= 100,
            "fewer than 100 professional rows published: the attack has little to work on");
        AssertRowsInOrder([], await p.RowsAsync(OutcomesOfFewerThanFive));
        // Month totals stay exact: the published rows add up to the appointments of each month.
        AssertRowsInOrder([], await p.RowsAsync("""
            SELECT period_month FROM {mart}.professional_appointments GROUP BY period_month
            HAVING sum(total_appointments) IS DISTINCT FROM (
                SELECT sum(total_appointments) FROM {model}.fact_lacreisaude_professional_months AS m
                WHERE m.period_month = professional_appointments.period_month)
            """));
    }

    /// <summary>
    /// As of 2025-06-15 (the demo's sign-ups run to the end of June 2025): between two releases
    /// one person signs up, and a patient who signed up in June changes gender identity (saved
    /// after the demo's last update, so that extraction sees them by their updated_at).
    /// </summary>
    [Fact]
    public async Task Comparing_releases_around_a_sign_up_and_an_identity_change_this_month_shows_only_the_months_totals()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p, asOf: "2025-06-15");
        var before = await PatientReleaseAsync(p);

        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active) VALUES
                (900001, '2025-06-15 09:00-03', '2025-07-01 09:00-03', '1999-02-02', true);
            INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id, gender_identity_id, sexual_orientation_id, pronoun_id) VALUES
                (900001, '2025-06-15 09:00-03', '2025-07-01 09:00-03', 900001, 2, 3, 1);
            INSERT INTO {s}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id) VALUES (900001, 900001, 3);
            UPDATE {s}.lacreiid_profile SET gender_identity_id = 1 + gender_identity_id % 8, updated_at = '2025-07-01 09:10-03'
            WHERE id = (SELECT min(profile.id) FROM {s}.lacreiid_profile AS profile JOIN {s}.lacreiid_user AS u ON u.id = profile.user_id
                        WHERE u.created_at >= '2025-06-01 00:00-03' AND profile.gender_identity_id IS NOT NULL);
            """);
        await RunOkAsync(p, asOf: "2025-06-15");
        var after = await PatientReleaseAsync(p);

        Assert.NotEmpty(after.Except(before));
        AssertRowsInOrder([], BrokenDownDifferences(before, after));
        AssertRowsInOrder(["2025-06-01"], MonthsThatDiffer(before, after));
    }
}
