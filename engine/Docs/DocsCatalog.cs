using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Docs;

/// <summary>A column as the database describes it (before the step's key is known).</summary>
public sealed record CatalogColumn(string Name, string Type, bool NotNull, string? Comment);

/// <summary>
/// What the database knows about the pipeline's tables and runs: columns with types and
/// comments (the comments are the YAML descriptions the runs applied, SPEC §6), the last
/// outcome of every data test and every step's most recent run-log row. Read-only queries.
/// </summary>
public sealed class DocsCatalog
{
    public static readonly DocsCatalog Empty = new();

    public IReadOnlyDictionary<(string Schema, string Table), IReadOnlyList<CatalogColumn>> Columns { get; private init; } =
        new Dictionary<(string, string), IReadOnlyList<CatalogColumn>>();
    public IReadOnlyDictionary<(string Step, string Test), TestOutcome> Tests { get; private init; } =
        new Dictionary<(string, string), TestOutcome>();
    public IReadOnlyDictionary<string, StepRunDoc> LastRuns { get; private init; } = new Dictionary<string, StepRunDoc>();
    public string? LastRunId { get; private init; }

    public static async Task<DocsCatalog> ReadAsync(NpgsqlConnection connection, Project project, CancellationToken ct)
    {
        var tables = project.Config.Steps.Select(s => (Schema: project.SchemaOf(s).Name, s.Table)).Distinct().ToList();
        var meta = project.MetaSchema;
        var hasRunLog = await ExistsAsync(connection, $"{meta.Quoted}.run_steps", ct);
        var hasTests = await ExistsAsync(connection, $"{meta.Quoted}.test_results", ct);
        return new DocsCatalog
        {
            Columns = await ReadColumnsAsync(connection, tables, ct),
            Tests = hasTests ? await ReadTestsAsync(connection, meta, ct) : new Dictionary<(string, string), TestOutcome>(),
            LastRuns = hasRunLog ? await ReadLastRunsAsync(connection, meta, ct) : new Dictionary<string, StepRunDoc>(),
            LastRunId = hasRunLog ? await ReadLastRunIdAsync(connection, meta, ct) : null,
        };
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string relation, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection) { Parameters = { new() { Value = relation } } };
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<Dictionary<(string, string), IReadOnlyList<CatalogColumn>>> ReadColumnsAsync(
        NpgsqlConnection connection, List<(string Schema, string Table)> tables, CancellationToken ct)
    {
        // Views and other relations too: a script step may create a view rather than a table.
        await using var command = new NpgsqlCommand(
            """
            SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, col_description(c.oid, a.attnum)
              FROM unnest($1::text[], $2::text[]) AS wanted(schema_name, table_name)
              JOIN pg_namespace n ON n.nspname = wanted.schema_name
              JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = wanted.table_name AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY n.nspname, c.relname, a.attnum
            """, connection)
        {
            Parameters = { new() { Value = tables.Select(t => t.Schema).ToArray() }, new() { Value = tables.Select(t => t.Table).ToArray() } },
        };
        var columns = new Dictionary<(string, string), List<CatalogColumn>>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (!columns.TryGetValue(key, out var list)) columns[key] = list = [];
            list.Add(new CatalogColumn(reader.GetString(2), reader.GetString(3), reader.GetBoolean(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return columns.ToDictionary(c => c.Key, c => (IReadOnlyList<CatalogColumn>)c.Value);
    }

    private static async Task<Dictionary<(string, string), TestOutcome>> ReadTestsAsync(NpgsqlConnection connection, Identifier meta, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT DISTINCT ON (step, test) step, test, status, failures, checked_at, run_id, error
              FROM {meta.Quoted}.test_results
             ORDER BY step, test, checked_at DESC
            """, connection);
        var tests = new Dictionary<(string, string), TestOutcome>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            tests[(reader.GetString(0), reader.GetString(1))] = new TestOutcome(reader.GetString(2), reader.GetInt64(3),
                reader.GetDateTime(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
        return tests;
    }

    private static async Task<Dictionary<string, StepRunDoc>> ReadLastRunsAsync(NpgsqlConnection connection, Identifier meta, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT DISTINCT ON (s.step) s.step, s.run_id, s.status, coalesce(s.rows, 0), coalesce(s.seconds, 0)::float8, s.finished_at, s.error
              FROM {meta.Quoted}.run_steps s
              JOIN {meta.Quoted}.runs r USING (run_id)
             ORDER BY s.step, r.started_at DESC
            """, connection);
        var runs = new Dictionary<string, StepRunDoc>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            runs[reader.GetString(0)] = new StepRunDoc(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetDouble(4),
                reader.IsDBNull(5) ? null : reader.GetDateTime(5), reader.IsDBNull(6) ? null : reader.GetString(6));
        return runs;
    }

    private static async Task<string?> ReadLastRunIdAsync(NpgsqlConnection connection, Identifier meta, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT run_id FROM {meta.Quoted}.runs WHERE status <> 'running' ORDER BY started_at DESC LIMIT 1", connection);
        return await command.ExecuteScalarAsync(ct) as string;
    }
}
