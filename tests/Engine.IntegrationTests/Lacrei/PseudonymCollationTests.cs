using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Issue 21: pseudonyms are text in the "C" collation, so the keys and indexes built on them sort
/// bytes instead of calling the C library for every comparison. The tables the engine creates keep
/// that collation; a warehouse built before, whose pseudonym columns have the database's collation,
/// goes on incrementally and ends with the same rows as one built now.
/// </summary>
public sealed class PseudonymCollationTests
{
    private const string Collations = """
        SELECT c.relname || '.' || a.attname || ' ' || coalesce(a.attcollation::regcollation::text, '-')
        FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
        WHERE c.relnamespace IN ({staging2}::regnamespace, {model}::regnamespace) AND c.relkind = 'r' AND a.attnum > 0
          AND (c.relname, a.attname) IN (('lacreiid_appointment', 'appointment_key'), ('lacreiid_user', 'patient_key'),
               ('fact_lacreisaude_appointments', 'appointment_id'), ('fact_lacreisaude_appointments', 'patient_id'),
               ('fact_lacreisaude_appointments', 'status'), ('dim_lacreisaude_patient', 'patient_id'))
        ORDER BY 1
        """;

    private static string Schemas(IsolatedPipeline p, string sql) =>
        sql.Replace("{staging2}", $"'{p.Schema("staging2").Trim('"')}'").Replace("{model}", $"'{p.Schema("model").Trim('"')}'");

    [Fact]
    public async Task Pseudonym_columns_are_built_in_the_C_collation_and_other_text_in_the_databases()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);

        AssertRowsInOrder(
        [
            "dim_lacreisaude_patient.patient_id \"C\"",
            "fact_lacreisaude_appointments.appointment_id \"C\"",
            "fact_lacreisaude_appointments.patient_id \"C\"",
            "fact_lacreisaude_appointments.status \"default\"",
            "lacreiid_appointment.appointment_key \"C\"",
            "lacreiid_user.patient_key \"C\"",
        ], await p.RowsAsync(Schemas(p, Collations)));
    }

    [Fact]
    public async Task A_warehouse_whose_pseudonyms_have_the_databases_collation_goes_on_and_ends_as_one_built_now()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);
        // As a warehouse built before pseudonyms were in "C" has them.
        await p.SqlAsync("""
            ALTER TABLE {staging2}.lacreiid_appointment ALTER COLUMN appointment_key TYPE text COLLATE "default";
            ALTER TABLE {staging2}.lacreiid_user ALTER COLUMN patient_key TYPE text COLLATE "default";
            ALTER TABLE {model}.fact_lacreisaude_appointments ALTER COLUMN appointment_id TYPE text COLLATE "default",
                ALTER COLUMN patient_id TYPE text COLLATE "default";
            ALTER TABLE {model}.dim_lacreisaude_patient ALTER COLUMN patient_id TYPE text COLLATE "default";
            UPDATE {s}.lacreiid_appointment SET status = 'cancelled', updated_at = now() WHERE id % 7 = 0;
            UPDATE {s}.lacreiid_user SET is_active = NOT coalesce(is_active, false), updated_at = now() WHERE id % 5 = 0;
            """.Replace("{staging2}", p.Schema("staging2")).Replace("{model}", p.Schema("model")));
        // The steps go on incrementally, writing C-collated pseudonyms into columns of the database's collation.
        var delta = await RunOkAsync(p);
        Assert.Contains(delta.Steps, s => s.Step == "model.fact_lacreisaude_appointments" && s.Status == "success");
        Assert.Contains("fact_lacreisaude_appointments.appointment_id \"default\"", await p.RowsAsync(Schemas(p, Collations)));
        var tables = await TablesAsync(p, "model", "mart");
        var before = await SnapshotAsync(p, tables);

        await RunOkAsync(p, args: ["run", "--json", "--full-refresh"]);

        AssertSameContent(before, await SnapshotAsync(p, tables), "the warehouse built before against a full refresh");
    }
}
