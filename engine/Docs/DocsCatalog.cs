using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;
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
        var columns = await ReadColumnsAsync(connection, tables, ct);
        var log = new RunLogReader(project.MetaSchema);
        if (!await log.ExistsAsync(connection, ct)) return new DocsCatalog { Columns = columns };
        return new DocsCatalog
        {
            Columns = columns,
            Tests = (await log.LastTestsAsync(connection, ct)).ToDictionary(t => (t.Step, t.Test),
                t => new TestOutcome(t.Status, t.Failures, t.CheckedAt!.Value, t.RunId, t.Error)),
            LastRuns = (await log.LastStepRunsAsync(connection, ct)).ToDictionary(s => s.Key,
                s => new StepRunDoc(s.Value.RunId, s.Value.Status, s.Value.Rows, s.Value.Seconds, s.Value.FinishedAt, s.Value.Error)),
            LastRunId = (await log.LatestAsync(connection, ended: true, ct))?.RunId,
        };
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
}
