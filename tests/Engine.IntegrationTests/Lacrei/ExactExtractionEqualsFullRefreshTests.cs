using Npgsql;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// SPEC §9.2, exact extraction, on the Lacrei pipeline (source in the same database, the fallback
/// that reads it with INSERT … SELECT): changes whose updated_at does not tell, and a late
/// commit; then every table of the four layers equals a full refresh into a second schema set.
/// </summary>
public sealed class ExactExtractionEqualsFullRefreshTests
{
    /// <summary>Changes whose cursor says nothing (or the wrong thing) about them.</summary>
    private const string Changes = """
        -- fixed by hand: updated_at untouched
        UPDATE {s}.lacreiid_appointment SET status = 'cancelado' WHERE id % 50 = 3 AND deleted_at IS NULL;
        UPDATE {s}.lacreisaude_professional SET specialty = 'Psiquiatria' WHERE id % 43 = 1;
        -- moved backwards (an import with the original dates)
        UPDATE {s}.lacreiid_user SET is_active = NOT coalesce(is_active, false), updated_at = '2019-01-01' WHERE id % 89 = 2;
        -- in the future and infinite (a client's clock)
        UPDATE {s}.lacreiid_profile SET gender_identity_id = 4, updated_at = 'infinity' WHERE id % 61 = 0;
        UPDATE {s}.lacreisaude_clinic SET consult_price = 'R$ 80,00', updated_at = '2200-01-01' WHERE id % 37 = 1;
        -- a rating deleted and another inserted with an old cursor, in one transaction: the count stays
        BEGIN;
        DELETE FROM {s}.lacreiid_report WHERE id = (SELECT min(id) FROM {s}.lacreiid_report);
        INSERT INTO {s}.lacreiid_report (id, created_at, updated_at, eval, appointment_id)
        SELECT 900500, '2020-01-01', '2020-01-01', 5, min(id) FROM {s}.lacreiid_appointment WHERE deleted_at IS NULL;
        COMMIT;
        """;

    [Fact]
    public async Task After_changes_their_updated_at_does_not_tell_and_a_late_commit_a_normal_run_equals_a_full_refresh()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);
        await p.SqlAsync(Changes);

        // A transaction open while the next run reads the source; a change committed after it began has a later updated_at.
        await using var late = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await late.OpenAsync();
        await using (var begin = new NpgsqlCommand(p.Sql("""
            BEGIN;
            UPDATE {source:app}.lacreiid_appointment SET status = 'Concluída', updated_at = now() WHERE id % 70 = 5 AND deleted_at IS NULL;
            """), late))
            await begin.ExecuteNonQueryAsync();
        await p.SqlAsync("UPDATE {s}.lacreiid_appointment SET status = 'no_show', updated_at = clock_timestamp() WHERE id % 70 = 6 AND deleted_at IS NULL");
        var run = await RunAsync(p);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"warning\": \"", run.Out); // the future and infinite cursors
        await using (var commit = new NpgsqlCommand("COMMIT", late)) await commit.ExecuteNonQueryAsync();
        await RunOkAsync(p);

        await using var secondSet = new SecondSchemaSet(p);
        var tables = await secondSet.AssertEqualsFullRefreshAsync("normal runs after changes updated_at does not tell vs full refresh");
        Assert.Equal(46, tables.Count);
    }
}
