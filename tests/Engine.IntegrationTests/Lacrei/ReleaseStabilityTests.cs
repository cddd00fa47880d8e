using static Lacrei.Engine.Tests.LacreiInsights.DisclosureAttacks;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// What two consecutive releases may differ by (SPEC §9.3 age at sign-up, §9.5 closed months):
/// nothing when only the run date moves within a month, and only the month concerned when a
/// late sign-up or an attribute change lands in a closed month (the residual risk docs/privacy.md
/// describes). The privacy review saw cells move when only --as-of moved by one day.
/// </summary>
public sealed class ReleaseStabilityTests
{
    private static readonly string[] Marts = ["patients", "patient_disability", "professionals", "professional_appointments"];

    private static async Task<Dictionary<string, string>> MartsAsync(IsolatedPipeline p) =>
        await SnapshotAsync(p, Marts.Select(m => "{mart}." + m));

    /// <summary>The demo, and five patients who signed up in September 2025 and turn 25 on 2025-12-02.</summary>
    [Fact]
    public async Task Two_runs_one_day_apart_with_no_source_change_publish_identical_marts()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await p.InsertPatientsAsync("""
            (900101, '2025-09-10 10:00-03', '2000-12-02', true, 1, 1, 1),
            (900102, '2025-09-10 10:00-03', '2000-12-02', true, 1, 1, 1),
            (900103, '2025-09-10 10:00-03', '2000-12-02', true, 1, 1, 1),
            (900104, '2025-09-10 10:00-03', '2000-12-02', true, 1, 1, 1),
            (900105, '2025-09-10 10:00-03', '2000-12-02', true, 1, 1, 1)
            """);
        await RunOkAsync(p, asOf: "2025-12-01");
        var first = await MartsAsync(p);

        var second = await RunOkAsync(p, asOf: "2025-12-02");

        AssertSameContent(first, await MartsAsync(p), "as of 2025-12-01 vs 2025-12-02");
        Assert.All(second.Steps.Where(s => s.Step.StartsWith("mart.", StringComparison.Ordinal)), s => Assert.Equal(0, s.Rows));
    }

    /// <summary>
    /// Closed months September, October, November 2025 (as of 2025-12-01), six patients each with
    /// the same attributes. In October, a late profile makes an earlier user a patient, and one
    /// patient changes gender identity and disability type.
    /// </summary>
    [Fact]
    public async Task A_late_sign_up_or_attribute_change_in_a_closed_month_changes_only_that_months_rows()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientGroupsAsync("""
            (100, 6, '2025-09-10 10:00-03', '{1}', 0), (110, 5, '2025-09-10 10:00-03', '{2}', 0),
            (200, 6, '2025-10-10 10:00-03', '{1}', 0), (210, 5, '2025-10-10 10:00-03', '{2}', 0),
            (300, 6, '2025-11-10 10:00-03', '{1}', 0), (310, 5, '2025-11-10 10:00-03', '{2}', 0)
            """);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active) VALUES
                (900, '2025-10-20 10:00-03', '2025-10-20 10:00-03', '1990-01-01', true);
            """);
        await RunOkAsync(p);
        var before = await WholeRowsAsync(p);

        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id, gender_identity_id, sexual_orientation_id, pronoun_id) VALUES
                (900, '2025-11-25 10:00-03', '2025-11-25 10:00-03', 900, 1, 1, 1);
            UPDATE {s}.lacreiid_profile SET gender_identity_id = 2, updated_at = '2025-11-25 10:00-03' WHERE id = 200;
            UPDATE {s}.lacreiid_profile_disability_types SET disabilitytype_id = 3 WHERE profile_id = 201;
            """);
        await RunOkAsync(p);
        var after = await WholeRowsAsync(p);

        Assert.NotEmpty(after.Except(before));
        AssertRowsInOrder(["2025-10-01"], MonthsThatDiffer(before, after));
    }

    /// <summary>Every row of the two patient marts, all columns, as "mart | period_month | the row".</summary>
    private static async Task<List<string>> WholeRowsAsync(IsolatedPipeline p) => [
        .. await p.RowsAsync("SELECT 'patients', period_month, whole::text FROM {mart}.patients AS whole"),
        .. await p.RowsAsync("SELECT 'patient_disability', period_month, whole::text FROM {mart}.patient_disability AS whole"),
    ];
}
