using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// model.fact_lacreisaude_professional_months adds most of its groups up from the fact's change
/// log (<c>before</c>): its row, plus the changed fact rows now, minus them as it last read them.
/// A hand edit of the fact is in no log, and the fact's next run logs its difference from the
/// edited table; adding that up would subtract rows the months never counted. The edit restarts
/// the fact's log instead (meta 0025), so the months count everything again once.
/// </summary>
public sealed class HandEditedInputTests
{
    private const string HandEdits = """
        UPDATE {model}.fact_lacreisaude_appointments
           SET professional_id = (SELECT max(professional_id) FROM {model}.dim_lacreisaude_professional),
               is_completed = NOT is_completed, modality = 'online'
         WHERE appointment_id IN (SELECT appointment_id FROM {model}.fact_lacreisaude_appointments ORDER BY appointment_id LIMIT 40);
        DELETE FROM {model}.fact_lacreisaude_appointments
         WHERE appointment_id IN (SELECT appointment_id FROM {model}.fact_lacreisaude_appointments ORDER BY appointment_id DESC LIMIT 40);
        """;

    // Appointments that change in the source, some of them among those edited by hand.
    private const string SourceChanges = """
        UPDATE {s}.lacreiid_appointment SET status = 'no_show', updated_at = '2025-09-01 10:00-03' WHERE id % 29 = 0;
        """;

    [Fact]
    public async Task A_hand_edit_of_the_fact_and_a_source_change_give_what_a_full_refresh_gives()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);

        await p.SqlAsync(HandEdits);
        await p.SqlAsync(SourceChanges);
        var run = await RunOkAsync(p);

        Assert.Contains(run.Steps, s => s.Step == "model.fact_lacreisaude_professional_months" && s.Status == "success");
        await using var secondSet = new SecondSchemaSet(p);
        await secondSet.AssertEqualsFullRefreshAsync("run after a hand edit of the fact vs full refresh");
    }
}
