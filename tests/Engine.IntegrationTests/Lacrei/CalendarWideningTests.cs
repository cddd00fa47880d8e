using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// The date dimension is 2020-01-01 .. 2030-12-31 widened to every date in the data (SPEC §9.4),
/// recomputed on an incremental run only when a date outside that range came or went. Each run
/// equals a full refresh into a second schema set: a far-future appointment and an early sign-up
/// widen the calendar, moving them back narrows it, and a change inside the range writes no day.
/// </summary>
public sealed class CalendarWideningTests
{
    private const string Calendar = "SELECT min(date_id), max(date_id), count(*) FROM {model}.dim_lacreisaude_date";

    [Fact]
    public async Task Dates_outside_the_fixed_range_widen_and_narrow_the_calendar_as_a_full_refresh_does()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, is_active) VALUES
                (1, '2025-01-01', '2025-01-01', true), (2, '2025-02-01', '2025-02-01', true);
            INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id) VALUES (1, '2025-01-01', '2025-01-01', 1);
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty) VALUES (1, '2025-01-01', '2025-01-01', 'Psicologia');
            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id, user_id) VALUES
                (1, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-05 14:00-03', 'completed', 'online', 1, 1),
                (2, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-06 14:00-03', 'completed', 'online', 1, 1);
            """);
        await RunOkAsync(p);
        AssertRowsInOrder(["20200101 | 20301231 | 4018"], await p.RowsAsync(Calendar));
        await using var secondSet = new SecondSchemaSet(p);

        // A sign-up on 30 December 2019 (São Paulo), its updated_at left as it was (the extraction
        // finds the row by transaction), then an appointment on 2 March 2031: each run widens the
        // calendar by what it brought.
        await p.SqlAsync("UPDATE {s}.lacreiid_user SET created_at = '2019-12-30 22:00-03' WHERE id = 2");
        await RunOkAsync(p);
        AssertRowsInOrder(["20191230 | 20301231 | 4020"], await p.RowsAsync(Calendar));
        await secondSet.AssertEqualsFullRefreshAsync("calendar widened by a sign-up");
        await p.SqlAsync("UPDATE {s}.lacreiid_appointment SET date = '2031-03-02 10:00-03', updated_at = now() WHERE id = 2");
        await RunOkAsync(p);
        AssertRowsInOrder(["20191230 | 20310302 | 4081"], await p.RowsAsync(Calendar));
        await secondSet.AssertEqualsFullRefreshAsync("calendar widened by an appointment");

        // A change inside the range moves no end: no day is written.
        await p.SqlAsync("UPDATE {s}.lacreiid_appointment SET date = '2025-10-01 10:00-03', updated_at = now() WHERE id = 1");
        var inside = await RunOkAsync(p);
        Assert.Equal(0, inside.Steps.Single(s => s.Step == "model.dim_lacreisaude_date").Rows);
        await secondSet.AssertEqualsFullRefreshAsync("a change inside the range");

        // The sign-up moves back into the range, then the far-future appointment is deleted: the
        // calendar narrows each time, to the fixed range in the end.
        await p.SqlAsync("UPDATE {s}.lacreiid_user SET created_at = '2025-02-01', updated_at = now() WHERE id = 2");
        await RunOkAsync(p);
        AssertRowsInOrder(["20200101 | 20310302 | 4079"], await p.RowsAsync(Calendar));
        await secondSet.AssertEqualsFullRefreshAsync("calendar narrowed by a sign-up");
        await p.SqlAsync("DELETE FROM {s}.lacreiid_appointment WHERE id = 2");
        await RunOkAsync(p);
        AssertRowsInOrder(["20200101 | 20301231 | 4018"], await p.RowsAsync(Calendar));
        await secondSet.AssertEqualsFullRefreshAsync("calendar narrowed by a deleted appointment");
    }
}
