using System.Text.Json;
using Lacrei.Engine.Config;
using Lacrei.Engine.Demo;
using Npgsql;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Helpers shared by the Lacrei pipeline tests: build the source (empty for a hand-written fixture,
/// or the demo's synthetic data), run the real CLI with a chosen as-of date and vars, and read
/// tables back as text rows ("a | b | NULL") that a test compares with rows written out by hand.
/// </summary>
internal static class LacreiFixture
{
    /// <summary>The as-of date of every test unless it says otherwise.</summary>
    public const string AsOf = "2025-12-01";

    /// <summary>mart.professionals, every column of SPEC §9.5.3 in its order, by professional.</summary>
    public const string Professionals = """
        SELECT professional_id, specialty, state, profile_status, active, published,
               total_appointments, completed_appointments, ratings_count, avg_rating, suppressed
        FROM {mart}.professionals ORDER BY professional_id
        """;

    /// <summary>mart.professional_appointments, every column of SPEC §9.5.4 in its order.</summary>
    public const string ProfessionalAppointments = """
        SELECT period_month, professional_id, specialty, total_appointments, completed_appointments,
               cancelled_appointments, no_show_appointments, online_total, online_completed, online_cancelled,
               in_person_total, in_person_completed, in_person_cancelled, completion_rate, cancellation_rate,
               cancellation_rate_online, cancellation_rate_in_person, avg_waiting_days
        FROM {mart}.professional_appointments ORDER BY period_month, professional_id NULLS LAST
        """;

    /// <summary>
    /// The target that <see cref="SmallCellsPipeline"/> adds to its own copy of pipeline.yaml:
    /// <c>allow_small_cells: true</c>, so a hand-built fixture of a few people can show a rule at
    /// k = 1 to 4 (SPEC §9.6: test fixtures only; the repository's pipeline.yaml has no such target).
    /// </summary>
    public const string SmallCells = "small_cells_fixture";

    /// <summary>The Lacrei pipeline in a private folder, its pipeline.yaml with the <see cref="SmallCells"/> target.</summary>
    public static IsolatedPipeline SmallCellsPipeline()
    {
        var p = IsolatedPipeline.Lacrei();
        p.EditFile("pipeline.yaml", yaml => yaml.Replace("\ntargets:\n", $"\ntargets:\n  {SmallCells}: {{ allow_small_cells: true }}\n"));
        Assert.Contains($"  {SmallCells}: {{ allow_small_cells: true }}", File.ReadAllText(p.YamlPath));
        return p;
    }

    /// <summary>The four warehouse layers whose tables the pipeline owns.</summary>
    public static readonly string[] Layers = ["staging1", "staging2", "model", "mart"];

    /// <summary>Creates the 16 source tables (the contract); with a scale, fills them with the demo data.</summary>
    public static async Task CreateSourceAsync(IsolatedPipeline p, int? scale = null)
    {
        var project = Project.Resolve(PipelineLoader.Load(p.YamlPath), new ProjectOptions(null, [.. p.Overrides]));
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        await new DemoSource(project).CreateAsync(connection, project.Sources["app"].Schema, scale, CancellationToken.None);
    }

    /// <summary>
    /// SQL against the source and the warehouse: <c>{s}</c> is the source schema, <c>{mart}</c>,
    /// <c>{model}</c>… the test's schemas.
    /// </summary>
    public static Task SqlAsync(this IsolatedPipeline p, string sql) =>
        p.ExecuteAsync(sql.Replace("{s}", p.Schema("source:app")));

    /// <summary>
    /// Runs <c>engine</c> on the test's schemas with a chosen as-of date; <paramref name="vars"/>
    /// are extra <c>--var</c> values (e.g. <c>min_cell_size=4</c>). The source is read from the
    /// same database (LACREI_SOURCE_URL unset), where the test created it.
    /// </summary>
    public static Task<CliOutcome> RunAsync(IsolatedPipeline p, string asOf = AsOf, string[]? vars = null, string[]? args = null,
        IEnumerable<string>? overrides = null, string? target = null) =>
        EngineCli.RunAsync(
            [.. args ?? ["run", "--json"], "--project", p.YamlPath, "--as-of", asOf, "--threads", "2",
             .. target is null ? Array.Empty<string>() : ["--target", target],
             .. (overrides ?? p.Overrides).Concat(vars ?? []).SelectMany(o => new[] { "--var", o })],
            new Dictionary<string, string?> { ["LACREI_SOURCE_URL"] = null });

    /// <summary>Runs the whole pipeline and fails the test (with the CLI's output) unless it succeeds.</summary>
    public static async Task<RunResultJson> RunOkAsync(IsolatedPipeline p, string asOf = AsOf, string[]? vars = null, string[]? args = null,
        IEnumerable<string>? overrides = null, string? target = null)
    {
        var run = await RunAsync(p, asOf, vars, args, overrides, target);
        Assert.True(run.ExitCode == 0, run.ToString());
        var result = RunResultJson.Parse(run.Out);
        Assert.True(result.Status == "success", run.ToString());
        return result;
    }

    /// <summary>
    /// <see cref="RowsAsync"/> with every pseudonym (SPEC §9.4) shown as the source id it stands for,
    /// ordered by the first column (as a number when it is one): expectations stay in source ids.
    /// </summary>
    public static async Task<List<string>> RowsWithSourceIdsAsync(this IsolatedPipeline p, string sql) =>
        (await p.RowsAsync(sql))
            .Select(row => string.Join(" | ", row.Split(" | ").Select(cell => TestPseudonyms.SourceIdOf(cell) ?? cell)))
            .OrderBy(row => long.TryParse(row.Split(" | ")[0], out var id) ? id : long.MaxValue)
            .ThenBy(row => row, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The rows of a query, each as its columns in PostgreSQL's text form joined by " | "
    /// (NULL for null; booleans t / f; dates yyyy-mm-dd; numerics with their scale).
    /// </summary>
    public static async Task<List<string>> RowsAsync(this IsolatedPipeline p, string sql)
    {
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(p.Sql(sql.Replace("{s}", p.Schema("source:app"))), connection)
        { AllResultTypesAreUnknown = true };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetString(i))));
        return rows;
    }

    /// <summary>The same rows in any order; a failure lists the missing and the unexpected rows in full.</summary>
    public static void AssertRows(IEnumerable<string> expected, IEnumerable<string> actual) =>
        AssertSame(expected.Order(StringComparer.Ordinal).ToList(), actual.Order(StringComparer.Ordinal).ToList());

    /// <summary>The same rows in the same order; a failure lists the missing and the unexpected rows in full.</summary>
    public static void AssertRowsInOrder(IEnumerable<string> expected, IEnumerable<string> actual) =>
        AssertSame(expected.ToList(), actual.ToList());

    private static void AssertSame(List<string> expected, List<string> actual)
    {
        if (expected.SequenceEqual(actual)) return;
        Assert.Fail("rows differ\n--- missing (expected, not found)\n" + string.Join("\n", expected.Except(actual))
            + "\n--- unexpected (found, not expected)\n" + string.Join("\n", actual.Except(expected))
            + "\n--- actual, in order\n" + string.Join("\n", actual));
    }

    /// <summary>
    /// Inserts patients: one user and one profile (same id) per row of
    /// <paramref name="values"/>, a VALUES list of
    /// (id, signed_up_at, birth_date, is_active, gender_identity_id, sexual_orientation_id, pronoun_id).
    /// </summary>
    public static Task InsertPatientsAsync(this IsolatedPipeline p, string values) => p.SqlAsync($$"""
        INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active, first_name, email)
        SELECT id, signed_up_at::timestamptz, signed_up_at::timestamptz, birth_date::date, is_active::boolean,
               'Pessoa ' || id, 'usuario' || id || '@example.org'
        FROM (VALUES {{values}}) AS people (id, signed_up_at, birth_date, is_active, gender, orientation, pronoun);
        INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id, gender_identity_id, sexual_orientation_id, pronoun_id)
        SELECT id, signed_up_at::timestamptz, signed_up_at::timestamptz, id, gender::bigint, orientation::bigint, pronoun::bigint
        FROM (VALUES {{values}}) AS people (id, signed_up_at, birth_date, is_active, gender, orientation, pronoun);
        """);

    /// <summary>
    /// Inserts groups of patients who share a sign-up time and disability types: a VALUES list of
    /// (first id, patients, signed_up_at, disability type ids as int[], inactive patients). The
    /// patients of a group get ids first id, first id + 1, …; the first ones are the inactive ones.
    /// </summary>
    public static Task InsertPatientGroupsAsync(this IsolatedPipeline p, string values) => p.SqlAsync($$"""
        CREATE TEMP TABLE patient_groups AS
        SELECT first_id + n AS id, signed_up_at::timestamptz AS signed_up_at, types::int[] AS types, n >= inactive AS is_active
        FROM (VALUES {{values}}) AS g (first_id, patients, signed_up_at, types, inactive)
        CROSS JOIN LATERAL generate_series(0, patients - 1) AS n;
        INSERT INTO {s}.lacreiid_user (id, created_at, updated_at, birth_date, is_active)
        SELECT id, signed_up_at, signed_up_at, '1990-01-01', is_active FROM patient_groups;
        INSERT INTO {s}.lacreiid_profile (id, created_at, updated_at, user_id, gender_identity_id, sexual_orientation_id, pronoun_id)
        SELECT id, signed_up_at, signed_up_at, id, 1, 1, 1 FROM patient_groups;
        INSERT INTO {s}.lacreiid_profile_disability_types (id, profile_id, disabilitytype_id)
        SELECT id * 10 + type_id, id, type_id FROM patient_groups CROSS JOIN LATERAL unnest(types) AS type_id;
        DROP TABLE patient_groups;
        """);

    /// <summary>The identity and disability lookups the hand-written fixtures refer to (messy spaces included).</summary>
    public const string Lookups = """
        INSERT INTO {s}.lacreiid_genderidentity (id, created_at, updated_at, name) VALUES
            (1, '2020-01-01', '2020-01-01', 'Mulher cis'),
            (2, '2020-01-01', '2020-01-01', 'Mulher trans'),
            (3, '2020-01-01', '2020-01-01', 'Homem trans '),
            (4, '2020-01-01', '2020-01-01', 'Não-binárie');
        INSERT INTO {s}.lacreiid_sexualorientation (id, created_at, updated_at, name) VALUES
            (1, '2020-01-01', '2020-01-01', 'Lésbica'),
            (2, '2020-01-01', '2020-01-01', 'Gay'),
            (3, '2020-01-01', '2020-01-01', ' Bissexual'),
            (4, '2020-01-01', '2020-01-01', 'Queer');
        INSERT INTO {s}.lacreiid_pronoun (id, created_at, updated_at, article, pronoun) VALUES
            (1, '2020-01-01', '2020-01-01', 'a', 'ela/dela'),
            (2, '2020-01-01', '2020-01-01', 'o', 'ele/dele'),
            (3, '2020-01-01', '2020-01-01', 'e', 'elu/delu ');
        INSERT INTO {s}.lacreiid_ethnicgroup (id, created_at, updated_at, name) VALUES
            (1, '2020-01-01', '2020-01-01', 'Branca'),
            (2, '2020-01-01', '2020-01-01', ' Preta ');
        INSERT INTO {s}.lacreiid_disabilitytype (id, created_at, updated_at, name) VALUES
            (1, '2020-01-01', '2020-01-01', 'Deficiência física'),
            (2, '2020-01-01', '2020-01-01', 'Deficiência visual'),
            (3, '2020-01-01', '2020-01-01', 'Deficiência auditiva'),
            (4, '2020-01-01', '2020-01-01', 'Deficiência intelectual');
        """;

    /// <summary>Every table of the four layers, as <c>{layer}.table</c>, in name order.</summary>
    public static async Task<List<string>> TablesAsync(IsolatedPipeline p, params string[] layers)
    {
        var names = string.Join(", ", (layers.Length == 0 ? Layers : layers).Select(l => "'" + p.Schema(l).Trim('"') + "'"));
        var rows = await p.RowsAsync($"""
            SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_schema IN ({names}) AND table_type = 'BASE TABLE'
            ORDER BY table_schema, table_name
            """);
        var byName = (layers.Length == 0 ? Layers : layers).ToDictionary(l => p.Schema(l).Trim('"'));
        return rows.Select(r => r.Split(" | ")).Select(r => $"{{{byName[r[0]]}}}.\"{r[1]}\"").ToList();
    }

    /// <summary>
    /// Two snapshots hold the same tables with the same content; a failure names each differing
    /// table with a few of its rows that only one side has.
    /// </summary>
    public static void AssertSameContent(Dictionary<string, string> expected, Dictionary<string, string> actual, string what)
    {
        var differences = new List<string>();
        foreach (var table in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            if (expected.GetValueOrDefault(table) == actual.GetValueOrDefault(table)) continue;
            var e = (expected.GetValueOrDefault(table) ?? "").Split('\n');
            var a = (actual.GetValueOrDefault(table) ?? "").Split('\n');
            differences.Add($"{table}: only in the first: {e.Except(a).Count()} rows, e.g. [{string.Join("; ", e.Except(a).Take(3))}]; "
                + $"only in the second: {a.Except(e).Count()} rows, e.g. [{string.Join("; ", a.Except(e).Take(3))}]");
        }
        Assert.True(differences.Count == 0, $"{what}:\n" + string.Join("\n", differences));
    }

    /// <summary>Every table's whole content, keyed by table, to compare two states exactly.</summary>
    public static async Task<Dictionary<string, string>> SnapshotAsync(IsolatedPipeline p, IEnumerable<string> tables) =>
        (await Task.WhenAll(tables.Select(async t => (t, content: await p.ContentAsync(t))))).ToDictionary(x => x.t, x => x.content);
}

/// <summary>The parts of the run result (SPEC §10) that the tests read.</summary>
internal sealed record RunResultJson(string Status, IReadOnlyList<(string Step, string Status, long Rows)> Steps, long? RejectedRows,
    IReadOnlyList<(string Step, string Reason, long Rows)> Rejects, int TestsFailed)
{
    public static RunResultJson Parse(string output)
    {
        using var json = JsonDocument.Parse(output[output.IndexOf('{')..]);
        var root = json.RootElement;
        var steps = root.GetProperty("steps").EnumerateArray()
            .Select(s => (s.GetProperty("step").GetString()!, s.GetProperty("status").GetString()!, s.GetProperty("rows").GetInt64())).ToList();
        var rejects = root.TryGetProperty("rejects", out var r)
            ? r.EnumerateArray().Select(x => (x.GetProperty("step").GetString()!, x.GetProperty("reason").GetString()!, x.GetProperty("rows").GetInt64())).ToList()
            : [];
        return new RunResultJson(root.GetProperty("status").GetString()!, steps,
            root.TryGetProperty("rejected_rows", out var rr) ? rr.GetInt64() : null, rejects,
            root.GetProperty("tests").GetProperty("failed").GetInt32());
    }
}
