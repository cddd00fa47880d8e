namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// The privacy review's attacks (issue 17), written as a BI user would write them against the
/// published marts alone. Each query returns what it recovers about individuals; a mart that
/// holds against the attack makes it return no row. Used over hand-built fixtures and the demo.
/// </summary>
internal static class DisclosureAttacks
{
    /// <summary>
    /// Subtraction in patient_disability: the reader knows the disability types (the application
    /// lists them to everyone); in a month where exactly one of them is missing beside a
    /// 'Suprimido' row, that row is that type, with its patients and their active/inactive split.
    /// </summary>
    public const string SubtractionInPatientDisability = """
        WITH published AS (
            SELECT period_month, disability_type, total_patients, active_patients, inactive_patients
            FROM {mart}.patient_disability
        ),
        known_types AS (
            SELECT DISTINCT coalesce(disability_type, 'Não informado') AS disability_type FROM {staging2}.lacreiid_disabilitytype
        ),
        suprimido AS (
            SELECT * FROM published WHERE disability_type = 'Suprimido'
        ),
        candidates AS (
            SELECT suprimido.period_month, known_types.disability_type
            FROM suprimido CROSS JOIN known_types
            WHERE NOT EXISTS (SELECT FROM published
                              WHERE published.period_month = suprimido.period_month AND published.disability_type = known_types.disability_type)
        )
        SELECT suprimido.period_month, min(candidates.disability_type) AS recovered_type,
               suprimido.total_patients, suprimido.active_patients, suprimido.inactive_patients
        FROM suprimido JOIN candidates ON candidates.period_month = suprimido.period_month
        GROUP BY suprimido.period_month, suprimido.total_patients, suprimido.active_patients, suprimido.inactive_patients
        HAVING count(*) = 1
        ORDER BY 1
        """;

    /// <summary>
    /// Single-appointment outcomes: a reader who knows that a patient saw a professional that
    /// month (or rated them) reads the outcome off a row of that professional covering fewer than
    /// 5 appointments, or an average of fewer than 5 ratings.
    /// </summary>
    public const string OutcomesOfFewerThanFive = """
        SELECT 'professional_appointments ' || period_month || ' professional ' || professional_id
               || ': ' || total_appointments || ' appointments, ' || completed_appointments || ' completed, '
               || cancelled_appointments || ' cancelled, ' || no_show_appointments || ' no-shows'
        FROM {mart}.professional_appointments
        WHERE professional_id IS NOT NULL AND total_appointments < 5
        UNION ALL
        SELECT 'professionals ' || professional_id || ': ' || completed_appointments || ' of ' || total_appointments || ' completed'
        FROM {mart}.professionals
        WHERE completed_appointments IS NOT NULL AND total_appointments < 5
        UNION ALL
        SELECT 'professionals ' || professional_id || ': ' || avg_rating || ' from ' || ratings_count || ' ratings'
        FROM {mart}.professionals
        WHERE avg_rating IS NOT NULL AND ratings_count < 5
        """;

    /// <summary>The two patient marts as text rows, to compare two releases.</summary>
    public static async Task<List<string>> PatientReleaseAsync(IsolatedPipeline p) => [
        .. await p.RowsAsync("""
            SELECT 'patients | ' || period_month || ' | ' || age_group || ' | ' || gender_identity || ' | ' || sexual_orientation
                   || ' | ' || pronoun || ' | ' || total_patients || ' | ' || active_patients || ' | ' || inactive_patients
            FROM {mart}.patients
            """),
        .. await p.RowsAsync("""
            SELECT 'patient_disability | ' || period_month || ' | ' || disability_type || ' | ' || total_patients
                   || ' | ' || active_patients || ' | ' || inactive_patients
            FROM {mart}.patient_disability
            """),
    ];

    /// <summary>
    /// Differencing two releases: the rows that only one of them has and that keep a sensitive
    /// value (an age group, identity or disability type), i.e. that say which group changed.
    /// </summary>
    public static List<string> BrokenDownDifferences(IReadOnlyCollection<string> before, IReadOnlyCollection<string> after) =>
        before.Except(after).Select(r => "only before: " + r)
            .Concat(after.Except(before).Select(r => "only after: " + r))
            .Where(r => r.Split(" | ").Skip(2).Take(r.Contains("patient_disability") ? 1 : 4).Any(v => v != "Suprimido"))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The months of the rows that only one release has.</summary>
    public static List<string> MonthsThatDiffer(IReadOnlyCollection<string> before, IReadOnlyCollection<string> after) =>
        before.Except(after).Concat(after.Except(before)).Select(r => r.Split(" | ")[1]).Distinct().Order(StringComparer.Ordinal).ToList();
}
