using System.Text.Json;
using Lacrei.Engine.Config;
using Lacrei.Engine.Demo;
using Lacrei.Engine.Tests.LacreiInsights;
using Npgsql;

namespace Lacrei.Engine.Tests.Privacy;

/// <summary>
/// SPEC §9.6 erasure: a person deleted or soft-deleted in the source leaves no trace in any
/// warehouse schema, meta included, after one normal run, neither by source id nor by keyed
/// pseudonym (model, marts, meta); the run counts the people it erased.
/// The source is a database of its own (LACREI_SOURCE_URL), as in production.
/// </summary>
public sealed class ErasureTests
{
    /// <summary>
    /// Which columns hold an entity's id: its own table's <c>id</c>, and the columns that point at it;
    /// and the entity of its keyed pseudonyms in model and marts (SPEC §9.4), null when it has none.
    /// </summary>
    private sealed record Entity(string Name, string Table, string[] Columns, List<long> Ids, string? PseudonymEntity = null)
    {
        public string[] Pseudonyms => PseudonymEntity is { } entity ? [.. Ids.Select(id => TestPseudonyms.Of(entity, id))] : [];
    }

    [Fact]
    public async Task After_one_normal_run_no_warehouse_table_holds_the_ids_of_the_deleted_or_a_changed_identity_in_change_logs()
    {
        await using var p = IsolatedPipeline.Lacrei();
        var project = Project.Resolve(PipelineLoader.Load(p.YamlPath), new ProjectOptions(null, [.. p.Overrides]));
        var sourceDatabase = "erasure" + p.Suffix;
        await AdminAsync($"CREATE DATABASE \"{sourceDatabase}\"");
        try
        {
            var source = new NpgsqlConnectionStringBuilder(IsolatedPipeline.ConnectionString) { Database = sourceDatabase, Pooling = false }.ConnectionString;
            await using (var connection = new NpgsqlConnection(source))
            {
                await connection.OpenAsync();
                await new DemoSource(project).CreateAsync(connection, project.Sources["app"].Schema, 1, CancellationToken.None);
            }
            var s = project.Sources["app"].Schema.Quoted;
            Assert.Equal(0, (await RunAsync(p, source)).ExitCode);

            // Four patients with appointments, none of them a professional.
            var patients = await SourceIdsAsync(source, $"""
                SELECT u.id FROM {s}.lacreiid_user AS u
                WHERE EXISTS (SELECT FROM {s}.lacreiid_profile AS x WHERE x.user_id = u.id)
                  AND EXISTS (SELECT FROM {s}.lacreiid_appointment AS a WHERE a.user_id = u.id AND a.deleted_at IS NULL
                              AND NOT EXISTS (SELECT FROM {s}.lacreiid_report AS r WHERE r.appointment_id = a.id)
                              AND NOT EXISTS (SELECT FROM {s}.lacreiid_cancellation AS c WHERE c.appointment_id = a.id))
                  AND NOT EXISTS (SELECT FROM {s}.lacreisaude_professional AS x WHERE x.user_id = u.id)
                  AND u.is_active
                ORDER BY u.id LIMIT 4
                """);
            Assert.Equal(4, patients.Count);
            var (deleted, softDeleted, changed, deactivated) = (patients[0], patients[1], patients[2], patients[3]);
            var entities = new List<Entity>
            {
                new("user", "lacreiid_user", ["user_id", "patient_id"], [deleted], "patient"),
                new("profile", "lacreiid_profile", ["profile_id"], await SourceIdsAsync(source, $"SELECT id FROM {s}.lacreiid_profile WHERE user_id = {deleted}"), "profile"),
                new("disability link", "lacreiid_profile_disability_types", [], await SourceIdsAsync(source,
                    $"SELECT id FROM {s}.lacreiid_profile_disability_types WHERE profile_id IN (SELECT id FROM {s}.lacreiid_profile WHERE user_id = {deleted})")),
                new("appointment", "lacreiid_appointment", ["appointment_id"], await SourceIdsAsync(source, $"""
                    SELECT id FROM {s}.lacreiid_appointment WHERE user_id = {deleted}
                    UNION ALL
                    (SELECT a.id FROM {s}.lacreiid_appointment AS a
                     WHERE a.user_id = {softDeleted} AND a.deleted_at IS NULL
                       AND NOT EXISTS (SELECT FROM {s}.lacreiid_report AS r WHERE r.appointment_id = a.id)
                       AND NOT EXISTS (SELECT FROM {s}.lacreiid_cancellation AS c WHERE c.appointment_id = a.id)
                     ORDER BY a.id LIMIT 1)
                    """), "appointment"),
                new("report", "lacreiid_report", ["report_id"], await SourceIdsAsync(source,
                    $"SELECT id FROM {s}.lacreiid_report WHERE appointment_id IN (SELECT id FROM {s}.lacreiid_appointment WHERE user_id = {deleted})"), "report"),
                new("cancellation", "lacreiid_cancellation", ["cancellation_id"], await SourceIdsAsync(source,
                    $"SELECT id FROM {s}.lacreiid_cancellation WHERE appointment_id IN (SELECT id FROM {s}.lacreiid_appointment WHERE user_id = {deleted})"), "cancellation"),
            };
            var softDeletedAppointment = entities[3].Ids[^1];
            var oldIdentity = await SourceTextAsync(source, $"""
                SELECT g.name FROM {s}.lacreiid_profile AS x JOIN {s}.lacreiid_genderidentity AS g ON g.id = x.gender_identity_id
                WHERE x.user_id = {changed} ORDER BY x.id DESC LIMIT 1
                """);
            Assert.NotNull(oldIdentity);
            // Before: the warehouse holds every one of them, so the scan below would see them.
            foreach (var entity in entities.Where(e => e.Ids.Count > 0)) Assert.NotEmpty(await TracesAsync(p, entity));
            // ... and the model holds their pseudonyms (a profile's only if it is the patient's latest one,
            // so per entity, not per id), so the pseudonym scan below would see them too.
            foreach (var entity in entities.Where(e => e.Pseudonyms.Length > 0))
                Assert.True((await PseudonymTracesAsync(p, entity)).Count > 0, $"no pseudonym of {entity.Name} {string.Join(", ", entity.Ids)} in model, mart or meta before the run");
            var deletedAppointment = entities[3].Ids[0];
            Assert.NotEmpty(await PseudonymTracesAsync(p, entities[3] with { Ids = [deletedAppointment] }));
            Assert.NotEmpty(await PseudonymTracesAsync(p, entities[3] with { Ids = [softDeletedAppointment] }));

            await ExecuteAsync(source, $"""
                -- the patient deleted as Django's on_delete=CASCADE does
                DELETE FROM {s}.lacreiid_report WHERE appointment_id IN (SELECT id FROM {s}.lacreiid_appointment WHERE user_id = {deleted});
                DELETE FROM {s}.lacreiid_cancellation WHERE appointment_id IN (SELECT id FROM {s}.lacreiid_appointment WHERE user_id = {deleted});
                DELETE FROM {s}.lacreiid_appointment WHERE user_id = {deleted};
                DELETE FROM {s}.lacreiid_profile_disability_types WHERE profile_id IN (SELECT id FROM {s}.lacreiid_profile WHERE user_id = {deleted});
                DELETE FROM {s}.lacreiid_profile WHERE user_id = {deleted};
                DELETE FROM {s}.lacreiid_user WHERE id = {deleted};
                -- an appointment soft-deleted by a path that backdates updated_at
                UPDATE {s}.lacreiid_appointment SET deleted_at = now(), updated_at = '2020-01-01' WHERE id = {softDeletedAppointment};
                -- a new gender identity, and a deactivated account
                UPDATE {s}.lacreiid_profile SET gender_identity_id = (SELECT min(g.id) FROM {s}.lacreiid_genderidentity AS g
                    WHERE g.name IS DISTINCT FROM '{oldIdentity!.Replace("'", "''")}'), updated_at = now() WHERE user_id = {changed};
                UPDATE {s}.lacreiid_user SET is_active = false, updated_at = now() WHERE id = {deactivated};
                """);

            var run = await RunAsync(p, source);

            Assert.True(run.ExitCode == 0, run.ToString());
            foreach (var entity in entities)
            {
                var traces = await TracesAsync(p, entity);
                Assert.True(traces.Count == 0, $"{entity.Name} {string.Join(", ", entity.Ids)} still in: {string.Join("; ", traces)}");
                var pseudonymTraces = await PseudonymTracesAsync(p, entity);
                Assert.True(pseudonymTraces.Count == 0, $"pseudonyms of {entity.Name} {string.Join(", ", entity.Ids)} still in: {string.Join("; ", pseudonymTraces)}");
            }
            // Change logs: nothing left, and so nothing of anyone's former identity.
            Assert.Equal(0L, await p.ScalarAsync<long>("SELECT count(*) FROM {meta}.changes"));
            Assert.Equal(0L, await p.ScalarAsync<long>(
                $"SELECT count(*) FROM {{meta}}.changes WHERE image::text LIKE '%{oldIdentity.Replace("'", "''")}%' OR image ? 'gender_identity' OR image ? 'gender_identity_id'"));
            // The changes reached the model: the deactivated patient is inactive, the changed one has another identity.
            Assert.False(await p.ScalarAsync<bool>($"SELECT is_active FROM {{model}}.dim_lacreisaude_patient WHERE patient_id = '{TestPseudonyms.Of("patient", deactivated)}'"));
            Assert.NotEqual(oldIdentity.Trim(), await p.ScalarAsync<string>($"SELECT gender_identity FROM {{model}}.dim_lacreisaude_patient WHERE patient_id = '{TestPseudonyms.Of("patient", changed)}'"));
            // The erasure report: one person, counted, never named.
            using var json = JsonDocument.Parse(run.Out[run.Out.IndexOf('{')..]);
            Assert.Equal(1, json.RootElement.GetProperty("erased_people").GetInt64());
            Assert.Equal(1L, await p.ScalarAsync<long>("SELECT erased_people FROM {meta}.run_steps WHERE step = 'staging1.lacreiid_user' ORDER BY finished_at DESC LIMIT 1"));
        }
        finally
        {
            await AdminAsync($"DROP DATABASE IF EXISTS \"{sourceDatabase}\" WITH (FORCE)");
        }
    }

    /// <summary>
    /// Every place in the warehouse (staging, model, mart, seeds, meta) where one of the entity's ids
    /// is: its table's <c>id</c>, the columns that point at it, the rejects' source keys, and the
    /// values of the meta schema's change logs and test samples. One "schema.table.column: n" each.
    /// </summary>
    private static async Task<List<string>> TracesAsync(IsolatedPipeline p, Entity entity)
    {
        var schemas = string.Join(", ", new[] { "staging1", "staging2", "model", "mart", "seeds", "meta" }.Select(k => "'" + p.Schema(k).Trim('"') + "'"));
        var ids = $"ARRAY[{string.Join(", ", entity.Ids.Select(i => $"'{i}'"))}]::text[]";
        var columns = await p.RowsAsync($"""
            SELECT quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), quote_ident(c.column_name), c.table_name, c.column_name, c.data_type
            FROM information_schema.columns AS c
            JOIN information_schema.tables AS t USING (table_schema, table_name)
            WHERE c.table_schema IN ({schemas}) AND t.table_type = 'BASE TABLE'
            ORDER BY 1, 2
            """);
        var traces = new List<string>();
        foreach (var column in columns.Select(c => c.Split(" | ")))
        {
            var (table, name, tableName, columnName, type) = (column[0], column[1], column[2], column[3], column[4]);
            string? where = columnName switch
            {
                "image" or "sample" when type is "json" or "jsonb" =>
                    $"EXISTS (SELECT FROM jsonb_path_query({name}::jsonb, 'strict $.**') AS v(x) WHERE v.x #>> '{{}}' = ANY ({ids}))" +
                    (tableName == "changes" ? $" AND step LIKE '%.{entity.Table}'" : ""),
                "source_key" => $"{name} = ANY ({ids}) AND step LIKE '%.{entity.Table}'",
                "id" when tableName == entity.Table => $"{name}::text = ANY ({ids})",
                _ when entity.Columns.Contains(columnName) => $"{name}::text = ANY ({ids})",
                _ => null,
            };
            if (where is null || entity.Ids.Count == 0) continue;
            var count = await p.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {where}");
            if (count > 0) traces.Add($"{table}.{name}: {count}");
        }
        return traces;
    }

    /// <summary>
    /// Every table of model, mart and meta whose rows, as text (any column, JSON included), contain
    /// one of the entity's pseudonyms: "schema.table: n" each. 32 hex characters do not occur by chance.
    /// </summary>
    private static async Task<List<string>> PseudonymTracesAsync(IsolatedPipeline p, Entity entity)
    {
        if (entity.Pseudonyms.Length == 0) return [];
        var schemas = string.Join(", ", new[] { "model", "mart", "meta" }.Select(k => "'" + p.Schema(k).Trim('"') + "'"));
        var patterns = $"ARRAY[{string.Join(", ", entity.Pseudonyms.Select(x => $"'%{x}%'"))}]::text[]";
        var tables = await p.RowsAsync($"""
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_schema IN ({schemas}) AND table_type = 'BASE TABLE' ORDER BY 1
            """);
        var traces = new List<string>();
        foreach (var table in tables)
        {
            var count = await p.ScalarAsync<long>($"SELECT count(*) FROM {table} AS t WHERE t::text LIKE ANY ({patterns})");
            if (count > 0) traces.Add($"{table}: {count}");
        }
        return traces;
    }

    private static Task<CliOutcome> RunAsync(IsolatedPipeline p, string source) => EngineCli.RunAsync(
        ["run", "--json", "--project", p.YamlPath, "--as-of", "2025-12-01", "--threads", "2", .. p.Overrides.SelectMany(o => new[] { "--var", o })],
        new Dictionary<string, string?> { ["LACREI_SOURCE_URL"] = source });

    private static async Task<List<long>> SourceIdsAsync(string source, string sql)
    {
        await using var connection = new NpgsqlConnection(source);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private static async Task<string?> SourceTextAsync(string source, string sql)
    {
        await using var connection = new NpgsqlConnection(source);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() as string;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task AdminAsync(string sql) => ExecuteAsync(IsolatedPipeline.ConnectionString, sql);
}
