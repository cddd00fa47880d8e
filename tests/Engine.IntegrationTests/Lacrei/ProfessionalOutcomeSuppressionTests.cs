using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Outcome cells below k (SPEC §9.5), at the production k = 5. In professional_appointments,
/// within each month, the professionals with fewer than k appointments are published together
/// as one row (professional_id NULL, specialty 'Suprimido'), measures summed and rates recomputed
/// from the sums, so a month's totals stay exact. In professionals, completed_appointments is
/// NULL below k appointments and avg_rating below k ratings; suppressed says so. The privacy
/// review found 8,242 of 8,676 rows covering one appointment, 3,267 showing its no-show or
/// cancellation. September 2025: professional 1 has 6 appointments, 2 has 1, 3 has 2, 4 has 4;
/// October: professional 1 has 1. All were booked on the 1st of their month.
/// </summary>
public sealed class ProfessionalOutcomeSuppressionTests
{
    public static async Task<IsolatedPipeline> FixtureAsync()
    {
        var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty, active, published) VALUES
                (1, '2025-01-01', '2025-01-01', 'Psicologia', true, true),
                (2, '2025-01-01', '2025-01-01', 'Psiquiatria', true, true),
                (3, '2025-01-01', '2025-01-01', 'Nutrição', true, true),
                (4, '2025-01-01', '2025-01-01', 'Psicologia', true, true);
            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id) VALUES
                (1,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-02 10:00-03', 'completed', 'online',     1),
                (2,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-03 10:00-03', 'completed', 'online',     1),
                (3,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-04 10:00-03', 'completed', 'presencial', 1),
                (4,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-05 10:00-03', 'completed', 'presencial', 1),
                (5,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-06 10:00-03', 'cancelado', 'online',     1),
                (6,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-07 10:00-03', 'no_show',   'online',     1),
                (7,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-10 10:00-03', 'no_show',   'online',     2),
                (8,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-11 10:00-03', 'completed', 'presencial', 3),
                (9,  '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-12 10:00-03', 'cancelado', 'online',     3),
                (10, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-13 10:00-03', 'completed', 'online',     4),
                (11, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-14 10:00-03', 'completed', 'online',     4),
                (12, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-15 10:00-03', 'completed', 'online',     4),
                (13, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-16 10:00-03', 'completed', 'online',     4),
                (14, '2025-10-01 10:00-03', '2025-10-01 10:00-03', '2025-10-02 10:00-03', 'completed', 'online',     1);
            INSERT INTO {s}.lacreiid_report (id, created_at, updated_at, appointment_id, eval) VALUES
                (1, '2025-09-20', '2025-09-20', 1, 5), (2, '2025-09-20', '2025-09-20', 2, 4), (3, '2025-09-20', '2025-09-20', 3, 5),
                (4, '2025-09-20', '2025-09-20', 4, 4), (5, '2025-09-20', '2025-09-20', 5, 3), (6, '2025-09-20', '2025-09-20', 10, 1);
            """);
        return p;
    }

    [Fact]
    public async Task Professionals_with_fewer_than_k_appointments_in_a_month_are_one_Suprimido_row_with_summed_measures_and_recomputed_rates()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);

        // month | professional | specialty | total | completed | cancelled | no-show | online total, completed, cancelled |
        //   in person total, completed, cancelled | completion % | cancellation % | online % | in person % | avg waiting days
        AssertRowsInOrder([
            "2025-09-01 | 1 | Psicologia | 6 | 4 | 1 | 1 | 4 | 2 | 1 | 2 | 2 | 0 | 66.67 | 16.67 | 25.00 | 0.00 | 3.50",
            // professionals 2, 3 and 4: 7 appointments; waiting 9 + 10 + … + 15 = 84 days
            "2025-09-01 | NULL | Suprimido | 7 | 5 | 1 | 1 | 6 | 4 | 1 | 1 | 1 | 0 | 71.43 | 14.29 | 16.67 | 0.00 | 12.00",
            // October: professional 1's single appointment is folded, whatever the size of the row
            "2025-10-01 | NULL | Suprimido | 1 | 1 | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 100.00 | 0.00 | 0.00 | NULL | 1.00",
        ], await p.RowsAsync(ProfessionalAppointments));
        AssertRowsInOrder(["2025-09-01 | 1", "2025-09-01 | Suprimido", "2025-10-01 | Suprimido"],
            await p.RowsAsync("SELECT period_month, row_key FROM {mart}.professional_appointments ORDER BY 1, 2"));
    }

    [Fact]
    public async Task A_month_total_stays_exact_when_a_professional_reaches_k_and_leaves_the_folded_row()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);

        // Professional 4's fifth appointment in September, entered late: an incremental run recomputes the month.
        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id) VALUES
                (15, '2025-09-01 10:00-03', '2025-11-20 10:00-03', '2025-09-17 10:00-03', 'no_show', 'presencial', 4);
            """);
        await RunOkAsync(p);

        AssertRowsInOrder([
            "2025-09-01 | 1 | Psicologia | 6 | 4 | 1 | 1 | 4 | 2 | 1 | 2 | 2 | 0 | 66.67 | 16.67 | 25.00 | 0.00 | 3.50",
            "2025-09-01 | 4 | Psicologia | 5 | 4 | 0 | 1 | 4 | 4 | 0 | 1 | 0 | 0 | 80.00 | 0.00 | 0.00 | 0.00 | 14.00",
            "2025-09-01 | NULL | Suprimido | 3 | 1 | 1 | 1 | 2 | 0 | 1 | 1 | 1 | 0 | 33.33 | 33.33 | 50.00 | 0.00 | 10.00",
            "2025-10-01 | NULL | Suprimido | 1 | 1 | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 100.00 | 0.00 | 0.00 | NULL | 1.00",
        ], await p.RowsAsync(ProfessionalAppointments));
        AssertRowsInOrder(["2025-09-01 | 14", "2025-10-01 | 1"],
            await p.RowsAsync("SELECT period_month, sum(total_appointments) FROM {mart}.professional_appointments GROUP BY 1 ORDER BY 1"));
    }

    [Fact]
    public async Task Completed_appointments_below_k_appointments_and_avg_rating_below_k_ratings_are_NULL_and_marked_suppressed()
    {
        await using var p = await FixtureAsync();
        await RunOkAsync(p);

        AssertRowsInOrder([
            "1 | Psicologia | Não informado | Não informado | t | t | 7 | 5 | 5 | 4.20 | f",
            "2 | Psiquiatria | Não informado | Não informado | t | t | 1 | NULL | 0 | NULL | t",
            "3 | Nutrição | Não informado | Não informado | t | t | 2 | NULL | 0 | NULL | t",
            // 4 appointments and a single rating: neither outcome is published
            "4 | Psicologia | Não informado | Não informado | t | t | 4 | NULL | 1 | NULL | t",
        ], await p.RowsAsync(Professionals));
    }
}
