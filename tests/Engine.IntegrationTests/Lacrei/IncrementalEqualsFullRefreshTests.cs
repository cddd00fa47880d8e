using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// SPEC §6: an incremental run after any sequence of source inserts, updates and deletes gives
/// exactly what a full refresh gives. The full refresh goes into a second schema set (every
/// schema and the BI role with another suffix, the same source schema).
/// </summary>
public sealed class IncrementalEqualsFullRefreshTests
{
    /// <summary>
    /// Changes to the demo source after a first run. Every changed row moves its updated_at forward
    /// (as Django's auto_now does); link tables have no updated_at.
    /// </summary>
    private const string Changes = """
        -- inserts: a patient signing up at 23:30 on July 31 (São Paulo), with a disability, an
        -- appointment, a rating; a cancellation of an existing appointment
        INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active, first_name, email) VALUES
            (900001, '2025-07-31 23:30-03', '2025-08-01 10:00-03', '2008-08-01', true, 'Pessoa 900001', 'usuario900001@example.org');
        INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id, gender_identity_id, sexual_orientation_id, pronoun_id) VALUES
            (900001, '2025-07-31 23:40-03', '2025-08-01 10:00-03', 900001, 2, 3, 1);
        INSERT INTO {s}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id) VALUES (900001, 900001, 5);
        INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id, user_id) VALUES
            (900001, '2025-08-01 09:00-03', '2025-08-01 10:00-03', '2025-08-05 14:00-03', 'Concluída', 'Online', 1, 900001);
        INSERT INTO {s}.lacreiid_report (id, created_at, updated_at, eval, appointment_id) VALUES
            (900001, '2025-08-06 10:00-03', '2025-08-06 10:00-03', 4, 900001);
        INSERT INTO {s}.lacreiid_cancellation (id, created_at, updated_at, appointment_id)
        SELECT 900001, '2025-08-01 10:00-03', '2025-08-01 10:00-03', min(id)
        FROM {s}.lacreiid_appointment WHERE deleted_at IS NULL AND status = 'scheduled';

        -- updates, lookups and link tables included
        UPDATE {s}.lacreiid_appointment SET status = 'cancelado', updated_at = '2025-08-01 10:00-03'
        WHERE id IN (SELECT id FROM {s}.lacreiid_appointment WHERE deleted_at IS NULL ORDER BY id LIMIT 20);
        UPDATE {s}.lacreiid_user SET is_active = NOT coalesce(is_active, false), birth_date = '2010-01-01', updated_at = '2025-08-01 10:00-03'
        WHERE id % 97 = 1;
        UPDATE {s}.lacreiid_profile SET gender_identity_id = 4, pronoun_id = NULL, updated_at = '2025-08-01 10:00-03' WHERE id % 53 = 0;
        UPDATE {s}.lacreiid_genderidentity SET name = ' Mulher trans (editado) ', updated_at = '2025-08-01 10:00-03' WHERE id = 3;
        UPDATE {s}.lacreisaude_clinic SET consult_price = 'R$ 1.999,90', is_online_clinic = NOT coalesce(is_online_clinic, false),
            updated_at = '2025-08-01 10:00-03' WHERE id % 31 = 0;
        UPDATE {s}.address_state SET name = 'Bahia', code = NULL, updated_at = '2025-08-01 10:00-03' WHERE id = 26;
        UPDATE {s}.lacreisaude_professional SET specialty = 'NUTRIÇÃO', published = NOT coalesce(published, false),
            updated_at = '2025-08-01 10:00-03' WHERE id % 41 = 0;
        UPDATE {s}.lacreiid_report SET eval = 7, updated_at = '2025-08-01 10:00-03' WHERE id % 29 = 0;
        UPDATE {s}.lacreiid_profile_disability_types SET disabilitytype_id = 1 WHERE id % 17 = 0;
        UPDATE {s}.lacreisaude_professional_disability_types SET disabilitytype_id = 2 WHERE id % 5 = 0;

        -- rows that become unusable (staging2.rejects): a profile loses its user, a user's sign-up
        -- time becomes infinite, a rating and a cancellation lose their appointment, a link its type
        UPDATE {s}.lacreiid_profile SET user_id = NULL, updated_at = '2025-08-01 10:00-03'
        WHERE id = (SELECT max(id) FROM {s}.lacreiid_profile WHERE id < 900000 AND id % 53 <> 0);
        UPDATE {s}.lacreiid_user SET created_at = 'infinity', updated_at = '2025-08-01 10:00-03'
        WHERE id = (SELECT max(id) FROM {s}.lacreiid_user WHERE id < 900000 AND id % 97 <> 1);
        UPDATE {s}.lacreiid_report SET appointment_id = NULL, updated_at = '2025-08-01 10:00-03'
        WHERE id = (SELECT min(id) FROM {s}.lacreiid_report WHERE id % 23 <> 0 AND id % 29 <> 0);
        UPDATE {s}.lacreiid_cancellation SET appointment_id = NULL, updated_at = '2025-08-01 10:00-03'
        WHERE id = (SELECT min(id) FROM {s}.lacreiid_cancellation WHERE id % 19 <> 0);
        UPDATE {s}.lacreiid_profile_disability_types SET disabilitytype_id = NULL
        WHERE id = (SELECT min(id) FROM {s}.lacreiid_profile_disability_types WHERE id % 17 <> 0 AND id % 13 <> 0);

        -- soft deletes, and one soft-deleted appointment restored
        UPDATE {s}.lacreiid_appointment SET deleted_at = NULL, updated_at = '2025-08-01 10:00-03'
        WHERE id = (SELECT min(id) FROM {s}.lacreiid_appointment WHERE deleted_at IS NOT NULL);
        UPDATE {s}.lacreiid_appointment SET deleted_at = '2025-08-01 10:00-03', updated_at = '2025-08-01 10:00-03'
        WHERE id IN (SELECT id FROM {s}.lacreiid_appointment WHERE deleted_at IS NULL AND id < 900000 ORDER BY id DESC LIMIT 20);

        -- hard deletes: ratings, cancellations, links; three appointments with what points at them;
        -- the profiles of one patient (who stops being a patient); users nothing points at
        DELETE FROM {s}.lacreiid_report WHERE id % 23 = 0;
        DELETE FROM {s}.lacreiid_cancellation WHERE id % 19 = 0;
        DELETE FROM {s}.lacreiid_profile_disability_types WHERE id % 13 = 0;
        DELETE FROM {s}.lacreiid_report WHERE appointment_id BETWEEN 5000 AND 5002;
        DELETE FROM {s}.lacreiid_cancellation WHERE appointment_id BETWEEN 5000 AND 5002;
        DELETE FROM {s}.lacreiid_appointment WHERE id BETWEEN 5000 AND 5002;
        DELETE FROM {s}.lacreiid_profile_disability_types
        WHERE profile_id IN (SELECT id FROM {s}.lacreiid_profile WHERE user_id = (SELECT min(user_id) FROM {s}.lacreiid_profile WHERE user_id > 100));
        DELETE FROM {s}.lacreiid_profile WHERE user_id = (SELECT min(user_id) FROM {s}.lacreiid_profile WHERE user_id > 100);
        DELETE FROM {s}.lacreiid_user AS u
        WHERE u.id IN (SELECT id FROM {s}.lacreiid_user ORDER BY id DESC LIMIT 200)
          AND NOT EXISTS (SELECT FROM {s}.lacreiid_profile AS x WHERE x.user_id = u.id)
          AND NOT EXISTS (SELECT FROM {s}.lacreiid_appointment AS x WHERE x.user_id = u.id)
          AND NOT EXISTS (SELECT FROM {s}.lacreisaude_professional AS x WHERE x.user_id = u.id);
        """;

    /// <summary>
    /// A second round on top of the first: incremental steps go on from where the first
    /// incremental run left their change logs. A newer report replaces an appointment's latest, a
    /// clinic moves to another professional and another disappears, appointments move month, a
    /// profile moves to a user without one (who becomes a patient; its old user may stop being one)
    /// and a user without a profile gains one: the fact's scope reads those through `changed`.
    /// Rows rejected in the first round become usable or go, and another becomes unusable.
    /// </summary>
    private const string MoreChanges = """
        INSERT INTO {s}.lacreiid_report (id, created_at, updated_at, eval, appointment_id)
        SELECT 900100 + id, '2025-09-01 10:00-03', '2025-09-01 10:00-03', 2, id
        FROM {s}.lacreiid_appointment WHERE id % 37 = 0 AND deleted_at IS NULL;
        UPDATE {s}.lacreiid_appointment SET date = date + interval '40 days', status = 'no_show', updated_at = '2025-09-01 10:00-03'
        WHERE id % 41 = 0;
        UPDATE {s}.lacreisaude_clinic SET professional_id = professional_id + 1, updated_at = '2025-09-01 10:00-03' WHERE id % 43 = 0;
        DELETE FROM {s}.lacreisaude_clinic AS c WHERE id % 47 = 0 AND NOT EXISTS (SELECT FROM {s}.lacreiid_appointment AS a WHERE a.clinic_id = c.id);
        UPDATE {s}.lacreisaude_professional SET specialty = 'Psicologia', updated_at = '2025-09-01 10:00-03' WHERE id % 11 = 0;
        DELETE FROM {s}.lacreiid_cancellation WHERE id % 7 = 0;
        UPDATE {s}.lacreiid_profile SET completed = NOT coalesce(completed, false), updated_at = '2025-09-01 10:00-03' WHERE id % 97 = 0;
        UPDATE {s}.lacreiid_profile SET user_id = (SELECT min(a.user_id) FROM {s}.lacreiid_appointment AS a
                                                    WHERE NOT EXISTS (SELECT FROM {s}.lacreiid_profile AS x WHERE x.user_id = a.user_id)),
                                        updated_at = '2025-09-01 10:00-03'
        WHERE id = (SELECT min(p.id) FROM {s}.lacreiid_profile AS p JOIN {s}.lacreiid_appointment AS a ON a.user_id = p.user_id);
        -- unusable rows made usable again, one removed, and a new one (staging2.rejects goes on from its log)
        UPDATE {s}.lacreiid_user SET created_at = '2025-01-01 10:00-03', updated_at = '2025-09-01 10:00-03' WHERE created_at = 'infinity';
        UPDATE {s}.lacreiid_cancellation SET appointment_id = (SELECT min(id) FROM {s}.lacreiid_appointment), updated_at = '2025-09-01 10:00-03'
        WHERE appointment_id IS NULL;
        DELETE FROM {s}.lacreiid_report WHERE appointment_id IS NULL;
        UPDATE {s}.lacreisaude_professional_disability_types SET professional_id = NULL
        WHERE id = (SELECT min(id) FROM {s}.lacreisaude_professional_disability_types);
        INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id)
        SELECT 900200, '2025-09-01 10:00-03', '2025-09-01 10:00-03', max(a.user_id) FROM {s}.lacreiid_appointment AS a
        WHERE NOT EXISTS (SELECT FROM {s}.lacreiid_profile AS x WHERE x.user_id = a.user_id);
        """;

    [Fact]
    public async Task After_inserts_updates_soft_and_hard_deletes_an_incremental_run_equals_a_full_refresh_into_a_second_schema_set()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);

        await p.SqlAsync(Changes);
        var incremental = await RunOkAsync(p);
        Assert.Contains(incremental.Steps, s => s.Step == "model.fact_lacreisaude_appointments" && s.Rows > 0);

        await using var secondSet = new SecondSchemaSet(p);
        var tables = await secondSet.AssertEqualsFullRefreshAsync("incremental run (first) vs full refresh (second)");
        Assert.Equal(46, tables.Count);

        await p.SqlAsync(MoreChanges);
        var goingOn = await RunOkAsync(p);
        Assert.Contains(goingOn.Steps, s => s.Step == "mart.professional_appointments" && s.Rows > 0);
        await secondSet.AssertEqualsFullRefreshAsync("second incremental run vs full refresh");
    }
}
