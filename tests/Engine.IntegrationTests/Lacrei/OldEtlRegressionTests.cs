using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// The hand-written ETL that this pipeline replaces failed on its second run, leaked names,
/// counted minors as "60+", bucketed dates in UTC and kept stale mart rows forever (issue 3).
/// One test each.
/// </summary>
public sealed class OldEtlRegressionTests
{
    [Fact]
    public async Task A_second_run_neither_fails_nor_duplicates_rows()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);
        var tables = await TablesAsync(p);
        var counts = await Task.WhenAll(tables.Select(t => p.ScalarAsync<long>($"SELECT count(*) FROM {t}")));

        var second = await RunAsync(p);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(counts, await Task.WhenAll(tables.Select(t => p.ScalarAsync<long>($"SELECT count(*) FROM {t}"))));
        // One fact row per live appointment, one patient row per user with a profile.
        Assert.Equal(await p.ScalarAsync<long>("SELECT count(*) FROM {source:app}.lacreiid_appointment WHERE deleted_at IS NULL"),
            await p.ScalarAsync<long>("SELECT count(*) FROM {model}.fact_lacreisaude_appointments"));
        Assert.Equal(await p.ScalarAsync<long>("SELECT count(DISTINCT user_id) FROM {source:app}.lacreiid_profile"),
            await p.ScalarAsync<long>("SELECT sum(total_patients)::bigint FROM {mart}.patients"));
    }

    [Fact]
    public async Task Names_emails_phones_and_documents_of_the_source_never_reach_the_warehouse()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);

        // Every identity value of the source, then every text value of every warehouse table.
        var identities = """
            SELECT first_name FROM {s}.lacreiid_user UNION SELECT last_name FROM {s}.lacreiid_user
            UNION SELECT first_name || ' ' || last_name FROM {s}.lacreiid_user
            UNION SELECT email FROM {s}.lacreiid_user UNION SELECT phone FROM {s}.lacreiid_user
            UNION SELECT full_name FROM {s}.lacreisaude_professional UNION SELECT document_number FROM {s}.lacreisaude_professional
            UNION SELECT board_registration_number FROM {s}.lacreisaude_professional
            UNION SELECT phone FROM {s}.lacreisaude_clinic UNION SELECT address FROM {s}.lacreisaude_clinic
            UNION SELECT zip_code FROM {s}.lacreisaude_clinic
            """;
        Assert.True(await p.ScalarAsync<long>($"SELECT count(*) FROM ({identities.Replace("{s}", p.Schema("source:app"))}) AS i") > 3000);

        var schemas = string.Join(", ", Layers.Append("seeds").Select(l => "'" + p.Schema(l).Trim('"') + "'"));
        var columns = await p.RowsAsync($"""
            SELECT quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), quote_ident(c.column_name)
            FROM information_schema.columns AS c
            JOIN information_schema.tables AS t USING (table_schema, table_name)
            WHERE c.table_schema IN ({schemas}) AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'character', 'ARRAY')
            """);
        Assert.NotEmpty(columns);
        var leaks = new List<string>();
        foreach (var column in columns.Select(c => c.Split(" | ")))
            leaks.AddRange((await p.RowsAsync($"""
                SELECT '{column[0]}.{column[1]}: ' || min(v.{column[1]}::text)
                FROM {column[0]} AS v
                WHERE v.{column[1]}::text IN ({identities}) OR v.{column[1]}::text ~ 'Pessoa [0-9]|@example\.org'
                HAVING count(*) > 0
                """)));
        AssertRowsInOrder([], leaks);
    }

    [Fact]
    public async Task Minors_are_counted_under_18_and_never_as_55_plus_or_60_plus()
    {
        await using var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        // at sign-up: 12, 16 and 16 years old (17 only on 2025-11-30); 30; 60
        await p.InsertPatientsAsync("""
            (1, '2025-10-01 10:00-03', '2013-06-01', true, 1, 1, 1),
            (2, '2025-10-02 10:00-03', '2009-01-15', true, 1, 1, 1),
            (3, '2025-10-03 10:00-03', '2008-11-30', true, 1, 1, 1),
            (4, '2025-10-04 10:00-03', '1995-01-01', true, 1, 1, 1),
            (5, '2025-10-05 10:00-03', '1965-01-01', true, 1, 1, 1)
            """);
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"]);

        AssertRows([
            "2025-10-01 | < 18 | 3",
            "2025-10-01 | 25-34 | 1",
            "2025-10-01 | 55+ | 1",
        ], await p.RowsAsync("SELECT period_month, age_group, total_patients FROM {mart}.patients"));
        AssertRowsInOrder(["1 | 12 | < 18", "2 | 16 | < 18", "3 | 16 | < 18", "4 | 30 | 25-34", "5 | 60 | 55+"],
            await p.RowsWithSourceIdsAsync("SELECT patient_id, age, age_group FROM {model}.dim_lacreisaude_patient ORDER BY 1"));
    }

    [Fact]
    public async Task Sign_ups_and_appointments_are_bucketed_by_month_in_Sao_Paulo_time_even_on_a_UTC_session()
    {
        await using var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientsAsync("""
            (1, '2025-10-31 23:30-03', '1995-01-01', true, 1, 1, 1),
            (2, '2025-11-01 00:30-03', '1995-01-01', true, 1, 1, 1),
            (3, '2025-11-30 22:00-03', '1995-01-01', true, 1, 1, 1)
            """);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty) VALUES (1, '2025-01-01', '2025-01-01', 'Psicologia');
            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id, user_id) VALUES
                (1, '2025-10-31 21:00-03', '2025-10-31 21:00-03', '2025-10-31 23:30-03', 'completed', 'online', 1, 1),
                (2, '2025-10-31 21:00-03', '2025-10-31 21:00-03', '2025-11-30 23:59-03', 'completed', 'online', 1, 1),
                -- summer time in 2018 (UTC-02): 00:30 on December 1 is still November at a fixed UTC-03
                (3, '2018-11-20 10:00-02', '2018-11-20 10:00-02', '2018-12-01 00:30-02', 'completed', 'online', 1, 1);
            """);
        // The engine's sessions in UTC, as the old ETL's were: São Paulo time must still decide.
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"],
            args: ["run", "--json", "--connection", IsolatedPipeline.ConnectionString + ";Timezone=UTC"]);

        AssertRows([
            "2025-10-01 | 1",   // 23:30 on October 31 is November 1, 02:30 in UTC
            "2025-11-01 | 2",   // 22:00 on November 30 is December 1, 01:00 in UTC
        ], await p.RowsAsync("SELECT period_month, total_patients FROM {mart}.patients"));
        AssertRowsInOrder(["1 | 2025-10-31 | 2025-10-01", "2 | 2025-11-01 | 2025-11-01", "3 | 2025-11-30 | 2025-11-01"],
            await p.RowsWithSourceIdsAsync("SELECT patient_id, signup_date, signup_month FROM {model}.dim_lacreisaude_patient ORDER BY 1"));
        AssertRowsInOrder(["2018-12-01 | 1 | 1", "2025-10-01 | 1 | 1", "2025-11-01 | 1 | 1"],
            await p.RowsAsync("SELECT period_month, professional_id, total_appointments FROM {mart}.professional_appointments ORDER BY 1"));
    }

    [Fact]
    public async Task A_mart_row_whose_group_vanished_from_the_source_disappears_on_the_next_run()
    {
        await using var p = SmallCellsPipeline();
        await CreateSourceAsync(p);
        await p.SqlAsync(Lookups);
        await p.InsertPatientsAsync("""
            (1, '2025-09-10 10:00-03', '1995-01-01', true, 1, 1, 1),
            (2, '2025-10-10 10:00-03', '1995-01-01', true, 2, 2, 2),
            (3, '2025-10-11 10:00-03', '1995-01-01', true, 1, 1, 1)
            """);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id) VALUES (1, 2, 3), (2, 3, 1);
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty) VALUES
                (1, '2025-01-01', '2025-01-01', 'Psicologia'),
                (2, '2025-01-01', '2025-01-01', 'Urologia');
            INSERT INTO {s}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id, user_id) VALUES
                (1, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-05 10:00-03', 'completed', 'online', 1, 1),
                (2, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-10-05 10:00-03', 'completed', 'online', 1, 1),
                (3, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-10-06 10:00-03', 'completed', 'online', 2, 2);
            """);
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"]);
        const string Patients = "SELECT period_month, gender_identity, sexual_orientation, pronoun, total_patients FROM {mart}.patients";
        const string Disability = "SELECT period_month, disability_type, total_patients FROM {mart}.patient_disability";
        const string Monthly = "SELECT period_month, professional_id, total_appointments FROM {mart}.professional_appointments";
        const string Totals = "SELECT professional_id, total_appointments FROM {mart}.professionals";
        AssertRows([
            "2025-09-01 | Mulher cis | Lésbica | ela/dela | 1",
            "2025-10-01 | Mulher cis | Lésbica | ela/dela | 1",
            "2025-10-01 | Mulher trans | Gay | ele/dele | 1",
        ], await p.RowsAsync(Patients));
        AssertRows(["2025-10-01 | Deficiência auditiva | 1", "2025-10-01 | Deficiência física | 1"], await p.RowsAsync(Disability));
        AssertRows(["2025-09-01 | 1 | 1", "2025-10-01 | 1 | 1", "2025-10-01 | 2 | 1"], await p.RowsAsync(Monthly));
        AssertRows(["1 | 2", "2 | 1"], await p.RowsAsync(Totals));

        // Patient 2 loses their profile; patient 1's sign-up moves to October; appointment 2 is
        // soft-deleted and appointment 3 hard-deleted; professional 2 leaves.
        await p.SqlAsync("""
            DELETE FROM {s}.lacreiid_profile_disability_types WHERE profile_id = 2;
            DELETE FROM {s}.lacreiid_profile WHERE id = 2;
            UPDATE {s}.lacreiid_user SET created_at = '2025-10-20 10:00-03', updated_at = '2025-11-01 10:00-03' WHERE id = 1;
            UPDATE {s}.lacreiid_appointment SET deleted_at = '2025-11-01 10:00-03', updated_at = '2025-11-01 10:00-03' WHERE id = 2;
            DELETE FROM {s}.lacreiid_appointment WHERE id = 3;
            DELETE FROM {s}.lacreisaude_professional WHERE id = 2;
            """);
        await RunOkAsync(p, target: SmallCells, vars: ["min_cell_size=1"]);

        AssertRows(["2025-10-01 | Mulher cis | Lésbica | ela/dela | 2"], await p.RowsAsync(Patients));
        AssertRows(["2025-10-01 | Deficiência física | 1"], await p.RowsAsync(Disability));
        AssertRows(["2025-09-01 | 1 | 1"], await p.RowsAsync(Monthly));
        AssertRows(["1 | 1"], await p.RowsAsync(Totals));
    }
}
