using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Sql;
using Lacrei.Engine.Templating;
using Npgsql;

namespace Lacrei.Engine.Quality;

/// <summary>
/// Runs one unit test (issue 23) in a transaction that is rolled back: a temporary table for
/// each given input, typed like the real table it stands in for (a declared <c>columns:</c> type
/// wins, and is needed where that table does not exist yet), filled with the given rows; the
/// step's SELECT rendered with <c>ref</c>/<c>source</c> bound to them; its rows compared with the
/// expected rows over the listed columns, as multisets. Seeds the test does not give read the
/// loaded seed tables. A step that computes pseudonyms gets the key in the transaction as a run
/// does (a bind parameter only).
/// </summary>
public sealed class UnitTestRunner(Project project, IReadOnlySet<string> seeds, string runId, PseudonymKey? pseudonymKey = null)
{
    public async Task<UnitTestResult> RunAsync(NpgsqlDataSource dataSource, UnitTestCase test, DateOnly defaultAsOf, CancellationToken ct)
    {
        var step = project.Config.Steps.Single(s => s.Id == test.Step);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Never committed: disposing the transaction rolls it back, so nothing a unit test does stays.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var problems = new List<Diagnostic>();
        var bindings = new Dictionary<string, string>();
        for (var i = 0; i < test.Given.Length; i++)
        {
            var input = test.Given[i];
            if (await CreateInputAsync(connection, transaction, input, i, problems, ct))
                bindings[BindingKey(input)] = UnitTestSql.Input(i);
        }
        if (problems.Count > 0) return Bad(test, problems);

        var renderer = new SqlRenderer(project, new RunContext(runId, test.AsOf ?? defaultAsOf), seeds);
        var select = renderer.RenderBound(step, bindings);
        problems.AddRange(select.Unbound.Select(name => new Diagnostic(ErrorKind.Config, test.Span,
            $"unit test '{test.Name}': step '{test.Step}' reads {Describe(name)}, which the test does not give",
            $"add it under given: - {(name.StartsWith("source:", StringComparison.Ordinal) ? "source: " + name["source:".Length..] : "ref: " + name)} with its rows (rows: [] for none)")));
        var read = ReadInputs(select.Source.Rendered);
        problems.AddRange(test.Given.Where((input, i) => !read.Contains(UnitTestSql.Input(i))).Select(input => new Diagnostic(ErrorKind.Config, input.Span,
            $"unit test '{test.Name}': step '{test.Step}' does not read '{input.Name}'", "remove this input, or check the step's ref and source calls")));
        if (problems.Count > 0) return Bad(test, problems);

        if (select.UsesPseudonyms)
        {
            var key = pseudonymKey ?? throw new InvalidOperationException($"step {step.Id} computes pseudonyms but the unit tests were given no key");
            await using var useKey = new Meta.Pseudonyms(project.MetaSchema).UseKey(key, connection, transaction);
            await useKey.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await ExecuteAsync(connection, transaction, UnitTestSql.CreateActual(select.Sql), null, ct);
        }
        catch (PostgresException e)
        {
            var span = e.Position > 0 ? select.Source.Locate(UnitTestSql.CreateActual(select.Sql), e.Position - 1) : null;
            return new UnitTestResult(test, UnitTestStatus.Error, [], [], e.MessageText, span ?? new SourceSpan(select.Source.File, 1, 1));
        }
        var returned = await ColumnsAsync(connection, transaction, $"pg_temp.{UnitTestSql.Actual}", ct);
        foreach (var column in test.Expect.Columns.Where(c => !returned.Any(r => r.Column == c.Name)))
            problems.Add(new Diagnostic(ErrorKind.Config, column.Span, $"unit test '{test.Name}': step '{test.Step}' returns no column '{column.Name}'",
                Suggest.Hint(column.Name, returned.Select(r => r.Column).ToList(), "columns")));
        if (problems.Count > 0) return Bad(test, problems);

        var columns = test.Expect.Columns.Select(c => c.Name).ToList();
        await ExecuteAsync(connection, transaction, UnitTestSql.CreateExpected(columns), null, ct);
        if (await FillAsync(connection, transaction, $"pg_temp.{UnitTestSql.Expected}", test.Expect, $"the expected rows of unit test '{test.Name}'",
                test.Span, problems, ct) is false) return Bad(test, problems);

        var missing = ImmutableArray.CreateBuilder<string>();
        var unexpected = ImmutableArray.CreateBuilder<string>();
        await using (var diff = new NpgsqlCommand(UnitTestSql.Differences(columns), connection, transaction))
        await using (var reader = await diff.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                (reader.GetString(0) == "missing" ? missing : unexpected).Add(reader.GetString(1));
        var status = missing.Count + unexpected.Count == 0 ? UnitTestStatus.Passed : UnitTestStatus.Failed;
        return new UnitTestResult(test, status, missing.ToImmutable(), unexpected.ToImmutable());
    }

    private static UnitTestResult Bad(UnitTestCase test, List<Diagnostic> problems) =>
        new(test, UnitTestStatus.Error, [], [], "the unit test does not fit the step or its inputs") { Problems = [.. problems] };

    private static string BindingKey(UnitTestInput input) => input.Kind == UnitTestInputKind.Ref
        ? input.Name
        : TemplateGlobals.SourceBinding(input.SourceTable.Source, input.SourceTable.Table);

    private static string Describe(string binding) => binding.StartsWith("source:", StringComparison.Ordinal)
        ? $"source '{binding["source:".Length..]}'"
        : $"'{binding}'";

    /// <summary>The stand-in tables a rendered SELECT names.</summary>
    private static HashSet<string> ReadInputs(string sql) =>
        System.Text.RegularExpressions.Regex.Matches(sql, @"pg_temp\.lp_unit_input_\d+").Select(m => m.Value).ToHashSet();

    /// <summary>The real table an input stands in for, quoted; null for a source whose schema the project does not know.</summary>
    private string RealTable(UnitTestInput input)
    {
        if (input.Kind == UnitTestInputKind.Source)
        {
            var (source, table) = input.SourceTable;
            return $"{project.Sources[source].Schema.Quoted}.{Identifier.Parse(table).Quoted}";
        }
        StepId.TryParse(input.Name, out var id);
        return id.IsSeed
            ? $"{project.SeedsSchema.Quoted}.{Identifier.Parse(id.Name).Quoted}"
            : project.TableOf(project.Config.Steps.Single(s => s.Id == id));
    }

    private async Task<bool> CreateInputAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, UnitTestInput input, int index,
        List<Diagnostic> problems, CancellationToken ct)
    {
        var real = await ColumnsAsync(connection, transaction, RealTable(input), ct);
        var columns = real.Select(c => (c.Column, Type: input.ColumnTypes.GetValueOrDefault(c.Column) ?? c.Type)).ToList();
        columns.AddRange(input.ColumnTypes.Where(t => real.All(r => r.Column != t.Key)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value)));
        var before = problems.Count;
        foreach (var column in input.Rows.Columns.Where(c => columns.All(k => k.Column != c.Name)))
            problems.Add(real.Count == 0
                ? new Diagnostic(ErrorKind.Config, column.Span,
                    $"the type of column '{column.Name}' of '{input.Name}' is unknown: its table {RealTable(input)} does not exist here",
                    $"declare it: columns: {{ {column.Name}: text }}, or run the step that builds the table once")
                : new Diagnostic(ErrorKind.Config, column.Span, $"'{input.Name}' has no column '{column.Name}'",
                    Suggest.Hint(column.Name, real.Select(r => r.Column).ToList(), "columns") ?? "declare it under columns: with its type"));
        if (problems.Count > before) return false;
        if (columns.Count == 0)
        {
            problems.Add(new Diagnostic(ErrorKind.Config, input.Span, $"'{input.Name}' has no columns: its table {RealTable(input)} does not exist here and no row names one",
                "declare its columns with their types: columns: { id: integer }"));
            return false;
        }
        try
        {
            await ExecuteAsync(connection, transaction, UnitTestSql.CreateInput(index, columns), null, ct);
        }
        catch (PostgresException e) when (e.SqlState is "42704" or "42601")
        {
            problems.Add(new Diagnostic(ErrorKind.Config, input.Span, $"a column type of '{input.Name}' is not known to PostgreSQL: {e.MessageText}"));
            return false;
        }
        return await FillAsync(connection, transaction, UnitTestSql.Input(index), input.Rows, $"the rows of '{input.Name}'", input.Span, problems, ct);
    }

    /// <summary>Inserts rows; a value that does not read as its column's type is a problem of the file, at its row.</summary>
    private static async Task<bool> FillAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, UnitTestRows rows,
        string what, SourceSpan span, List<Diagnostic> problems, CancellationToken ct)
    {
        if (rows.Rows.IsEmpty) return true;
        await ExecuteAsync(connection, transaction, "SAVEPOINT lp_unit_fill", null, ct);
        try
        {
            await ExecuteAsync(connection, transaction, UnitTestSql.Fill(table), RowsJson(rows), ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            // Which row: try them one at a time, so the message points at the line to fix.
            await ExecuteAsync(connection, transaction, "ROLLBACK TO SAVEPOINT lp_unit_fill", null, ct);
            foreach (var row in rows.Rows)
            {
                try { await ExecuteAsync(connection, transaction, UnitTestSql.Fill(table), RowsJson(rows with { Rows = [row] }), ct); }
                catch (PostgresException rowError) when (rowError.SqlState.StartsWith("22", StringComparison.Ordinal))
                {
                    problems.Add(new Diagnostic(ErrorKind.Config, row.Span, $"a value of {what} does not fit its column: {rowError.MessageText}",
                        "write it as PostgreSQL reads that type, e.g. 2025-01-31 for a date, true for a boolean"));
                    return false;
                }
            }
            problems.Add(new Diagnostic(ErrorKind.Config, span, $"{what} do not fit their columns: {e.MessageText}"));
            return false;
        }
    }

    private static string RowsJson(UnitTestRows rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var row in rows.Rows)
            {
                writer.WriteStartObject();
                foreach (var (column, value) in row.Cells)
                {
                    if (value is null) writer.WriteNull(column);
                    else writer.WriteString(column, value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task<List<(string Column, string Type)>> ColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string relation, CancellationToken ct)
    {
        var columns = new List<(string, string)>();
        await using var command = new NpgsqlCommand(UnitTestSql.ColumnsOf, connection, transaction);
        command.Parameters.AddWithValue("relation", relation);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) columns.Add((reader.GetString(0), reader.GetString(1)));
        return columns;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string? rows, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (rows is not null) command.Parameters.AddWithValue("rows", rows);
        await command.ExecuteNonQueryAsync(ct);
    }
}
