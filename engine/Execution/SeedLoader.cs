using System.Security.Cryptography;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Templating;
using Npgsql;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Execution;

/// <summary>A seed that was (re)loaded, or skipped because its file did not change.</summary>
public sealed record SeedResult(string Name, bool Loaded, long Rows);

/// <summary>
/// Loads <c>seeds/*.csv</c> into <c>schemas.seeds</c> with COPY: every column is text, named by
/// the header row. A file whose SHA-256 matches the last load is skipped; a changed one replaces
/// the table's content in one transaction.
/// </summary>
public sealed class SeedLoader(Project project)
{
    public async Task<IReadOnlyList<SeedResult>> LoadAsync(NpgsqlDataSource dataSource, IEnumerable<SeedFile> seeds, CancellationToken ct)
    {
        var results = new List<SeedResult>();
        foreach (var seed in seeds)
        {
            var bytes = await File.ReadAllBytesAsync(seed.Path, ct);
            // Declared column types are part of what was loaded: changing them reloads the seed.
            var hash = seed.Hash(project.Config, bytes);
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            if (await StoredHashAsync(connection, seed.Name, ct) == hash)
            {
                results.Add(new SeedResult(seed.Name, false, 0));
                continue;
            }
            results.Add(new SeedResult(seed.Name, true, await ReloadAsync(connection, seed, bytes, hash, ct)));
        }
        return results;
    }

    private async Task<string?> StoredHashAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        // A hash counts only while its table is there: another seeds schema (a target, --var) loads again.
        var table = Identifier.TryParse(name, out var id) ? $"{project.SeedsSchema.Quoted}.{id.Quoted}" : "";
        return await new SeedLog(project.MetaSchema).StoredHashAsync(connection, name, table, ct);
    }

    private async Task<long> ReloadAsync(NpgsqlConnection connection, SeedFile seed, byte[] bytes, string hash, CancellationToken ct)
    {
        var display = DisplayPath.Of(seed.Path);
        if (!Identifier.TryParse(seed.Name, out var tableName))
            throw new PipelineException(ErrorKind.Config, new SourceSpan(display, 1, 1), $"seed file name '{seed.Name}' is not a valid SQL name", Identifier.Rule);
        var text = ReadText(seed, bytes, display);
        var header = text.Split('\n', 2)[0].TrimEnd('\r');
        var columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToList();
        var bad = columns.FirstOrDefault(c => !Identifier.IsValid(c));
        if (bad is not null || columns.Count == 0)
            throw new PipelineException(ErrorKind.Config, new SourceSpan(display, 1, Math.Max(1, header.IndexOf(bad ?? "", StringComparison.Ordinal) + 1)),
                $"seed header column '{bad}' is not a valid SQL name", "the first row of a seed names its columns: letters, digits and '_'");

        var table = $"{project.SeedsSchema.Quoted}.{tableName.Quoted}";
        var columnList = string.Join(", ", columns.Select(c => Identifier.Parse(c).Quoted));
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var prepare = new NpgsqlCommand(
            $"""
            CREATE SCHEMA IF NOT EXISTS {project.SeedsSchema.Quoted};
            DROP TABLE IF EXISTS {table};
            CREATE TABLE {table} ({string.Join(", ", columns.Select(c => Identifier.Parse(c).Quoted + " text"))});
            """, connection, transaction))
        {
            await prepare.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await using (var writer = await connection.BeginTextImportAsync($"COPY {table} ({columnList}) FROM STDIN (FORMAT csv, HEADER true)", ct))
                await writer.WriteAsync(text);
        }
        catch (PostgresException e)
        {
            throw new PipelineException(ErrorKind.Config, new SourceSpan(display, LineFromCopyContext(e.Where), 1), $"seed {seed.Name}: {e.MessageText}", e.Hint);
        }
        await using var record = new SeedLog(project.MetaSchema).RecordCommand(seed.Name, hash, table, connection, transaction);
        await TypeColumnsAsync(connection, transaction, seed.Name, table, columns, ct);
        await using (var analyze = new NpgsqlCommand($"ANALYZE {table}", connection, transaction))
            await analyze.ExecuteNonQueryAsync(ct); // steps join seeds right away: give the planner real counts
        var rows = (long)(await record.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        return rows;
    }

    /// <summary>
    /// Declared types (<c>seed_types</c>) win; otherwise a column whose every value reads as
    /// bigint, numeric, boolean or an ISO date gets that type, and stays text when any does not.
    /// </summary>
    private async Task TypeColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string seed, string table,
        List<string> columns, CancellationToken ct)
    {
        var declared = project.Config.SeedTypes.GetValueOrDefault(seed) ?? [];
        var probes = string.Join(", ", columns.Select(c =>
        {
            var q = Identifier.Parse(c).Quoted;
            return $"bool_and({q} ~ '^-?[0-9]{{1,18}}$'), bool_and({q} ~ '^-?[0-9]+([.][0-9]+)?$'), " +
                   $"bool_and(lower({q}) IN ('true', 'false')), bool_and({q} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$'), count({q})";
        }));
        var types = new Dictionary<string, string>();
        await using (var probe = new NpgsqlCommand($"SELECT {probes} FROM {table}", connection, transaction))
        await using (var reader = await probe.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            for (var i = 0; i < columns.Count; i++)
            {
                bool Is(int offset) => !reader.IsDBNull(i * 5 + offset) && reader.GetBoolean(i * 5 + offset);
                if (reader.GetInt64(i * 5 + 4) == 0) continue; // no values: nothing to infer from
                var inferred = Is(0) ? "bigint" : Is(1) ? "numeric" : Is(2) ? "boolean" : Is(3) ? "date" : null;
                if (inferred is not null) types[columns[i]] = inferred;
            }
        }
        foreach (var (column, type) in declared) types[column] = type;
        if (types.Count == 0) return;
        var alter = string.Join(", ", types.Select(t => $"ALTER COLUMN {Identifier.Parse(t.Key).Quoted} TYPE {t.Value} USING {Identifier.Parse(t.Key).Quoted}::{t.Value}"));
        try
        {
            await using var command = new NpgsqlCommand($"ALTER TABLE {table} {alter}", connection, transaction);
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e)
        {
            throw new PipelineException(ErrorKind.Config, null, $"seed {seed}: a value does not fit its column type: {e.MessageText}",
                "fix the CSV or the type under seed_types in pipeline.yaml");
        }
    }

    /// <summary>
    /// The file as UTF-8 text, without a byte-order mark or trailing blank lines (an editor's last
    /// empty line is not a row). Anything else would be stored wrongly or misreported: a byte
    /// that is not UTF-8 (a Latin-1 'ã') is refused at its line and byte, an empty file as empty.
    /// </summary>
    private static string ReadText(SeedFile seed, byte[] bytes, string display)
    {
        var text = TextFiles.Decode(bytes, display, $"seed {seed.Name}");
        var last = text.Length - 1;
        while (last >= 0 && char.IsWhiteSpace(text[last])) last--;
        if (last < 0)
            throw new PipelineException(ErrorKind.Config, new SourceSpan(display, 1, 1), $"seed {seed.Name}: the file is empty",
                "the first row names the columns (e.g. code,label) and each row after it is a row of the table");
        // The last row ends at its own line end, which goes too: COPY needs none, and one of another
        // style than the file's ("\r\n" after "\n" lines) would be an "unquoted carriage return".
        var end = text.IndexOf('\n', last);
        return end < 0 ? text : text[..(end > 0 && text[end - 1] == '\r' ? end - 1 : end)];
    }

    /// <summary>PostgreSQL reports COPY errors as "COPY t, line 7"; the file's line is the same.</summary>
    private static int LineFromCopyContext(string? where)
    {
        var marker = where?.IndexOf("line ", StringComparison.Ordinal) ?? -1;
        if (marker < 0) return 1;
        var digits = new string(where![(marker + 5)..].TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(digits, out var line) ? line : 1;
    }
}
