using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// The data tests in pipeline.yaml prove each disclosure rule on the published marts (SPEC §9.5,
/// §9.6, §11): a mistake in a step's SQL that breaks a rule fails the step's run, names the test,
/// and leaves the mart as it was published before. Each case edits one line of the pipeline.
/// </summary>
public sealed class PrivacyDataTestsTests
{
    /// <summary>
    /// As of 2025-12-01: November has a group of 6 patients and one of 2, types física (6), visual
    /// (5) and auditiva (2); December (the open month) has 6 patients; professional 1 has one
    /// rated appointment and a specialty and status typed freely.
    /// </summary>
    private static async Task<IsolatedPipeline> FixtureAsync()
    {
        var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientGroupsAsync("""
            (100, 6, '2025-11-10 10:00-03', '{1}', 0), (110, 5, '2025-11-10 10:00-03', '{2}', 0),
            (120, 2, '2025-11-10 10:00-03', '{3}', 0), (200, 6, '2025-12-01 10:00-03', '{1}', 0)
            """);
        await p.SqlAsync("""
            UPDATE {s}.lacreiid_profile SET gender_identity_id = 2 WHERE id IN (120, 121);
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty, profile_status) VALUES
                (1, '2025-01-01', '2025-01-01', 'Psicóloga Maria Silva CRP 06/123456', 'pendente - ligar (11) 98765-4321');
            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id) VALUES
                (1, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-02 10:00-03', 'no_show', 'online', 1);
            INSERT INTO {s}.lacreiid_report (id, created_at, updated_at, appointment_id, eval) VALUES (1, '2025-09-03', '2025-09-03', 1, 2);
            """);
        return p;
    }

    public static TheoryData<string, string, string, string, string> Mistakes() => new()
    {
        { "mart.patients", "mart/patients.sql", "CAST('{{ vars.min_cell_size }}' AS integer)", "1", "min_cell_size(total_patients)" },
        { "mart.patients", "mart/patients.sql", "date_trunc('month', DATE '{{ run.as_of }}')::date AS first_open_month", "DATE '2999-01-01' AS first_open_month", "open_months_not_broken_down" },
        // primary suppression only: the small cells are folded and nothing else
        { "mart.patient_disability", "mart/patient_disability.sql", "greatest(patients_within_rank.small_cells, 2)\n                        AND patients_within_rank.distinct_patients >= settings.min_cell_size", "patients_within_rank.small_cells", "suprimido_covers_two_types_and_k_patients" },
        { "mart.patient_disability", "mart/patient_disability.sql", "date_trunc('month', DATE '{{ run.as_of }}')::date AS first_open_month", "DATE '2999-01-01' AS first_open_month", "open_months_not_broken_down" },
        { "mart.professionals", "mart/professionals.sql", "WHEN professional_totals.total_appointments >= settings.min_cell_size", "WHEN TRUE", "completed_only_from_k_appointments" },
        { "mart.professionals", "mart/professionals.sql", "WHEN professional_totals.ratings_count >= settings.min_cell_size", "WHEN TRUE", "avg_rating_only_from_k_ratings" },
        { "mart.professionals", "mart/professionals.sql", "professional_totals.total_appointments < settings.min_cell_size\n        OR", "FALSE AND", "suppressed_says_what_was_nulled" },
        { "staging2.lacreisaude_professional+", "staging2/lacreisaude_professional.sql", "coalesce(canonical_specialties.specialty, 'Outra')", "coalesce(canonical_specialties.specialty, professionals.specialty_text)", "specialty_from_the_seed" },
        { "staging2.lacreisaude_professional+", "staging2/lacreisaude_professional.sql", "coalesce(known_statuses.status, 'Outro')", "coalesce(known_statuses.status, professionals.profile_status_text)", "profile_status_from_the_seed" },
        { "mart.professional_appointments", "mart/professional_appointments.sql", "WHEN professional_month.total_appointments >= settings.min_cell_size THEN professional_month.professional_id", "WHEN TRUE THEN professional_month.professional_id", "no_professional_row_below_k" },
        { "mart.professional_appointments", "mart/professional_appointments.sql", "ELSE 'Suprimido'\n        END AS specialty", "ELSE 'Outra'\n        END AS specialty", "folded_row_is_suprimido" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mart_that_breaks_a_rule_fails_its_test_and_is_not_published(string selection, string file, string rule, string mistake, string test)
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);
        var before = await MartsAsync(p);
        p.EditFile(Path.Combine("pipelines", "lacrei", file), sql =>
        {
            Assert.Contains(rule, sql);
            return sql.Replace(rule, mistake);
        });

        var run = await RunAsync(p, args: ["run", "--json", "--only", selection]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"\"test\": \"{test}\"", run.Out);
        Assert.Equal(before, await MartsAsync(p));
    }

    private static async Task<string> MartsAsync(IsolatedPipeline p) => string.Join("\n---\n", await Task.WhenAll(
        new[] { "patients", "patient_disability", "professionals", "professional_appointments" }.Select(t => p.ContentAsync("{mart}." + t))));
}
