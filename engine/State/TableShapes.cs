using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Npgsql;

namespace Lacrei.Engine.State;

/// <summary>
/// The columns of steps' tables, and of a SELECT that has not run yet, as PostgreSQL types them
/// (<c>format_type</c>, as the schema-change check compares them): the shapes a manifest keeps
/// and <c>plan --state</c> compares.
/// </summary>
public static class TableShapes
{
    /// <summary>The temporary table a SELECT is described into, in a transaction that is rolled back.</summary>
    private const string Described = "lp_described";

    /// <summary>Every step whose table exists in the workspace's target, with its columns in table order.</summary>
    public static async Task<Dictionary<StepId, IReadOnlyList<ManifestColumn>>> ReadAsync(NpgsqlDataSource dataSource, Workspace workspace, CancellationToken ct)
    {
        var tables = workspace.Steps.Values.ToDictionary(s => workspace.Project.TableOf(s.Step), s => s.Step.Id);
        var shapes = new Dictionary<StepId, List<ManifestColumn>>();
        await using var command = dataSource.CreateCommand("""
            SELECT t.name, a.attname::text, format_type(a.atttypid, a.atttypmod)
              FROM unnest($1::text[]) AS t(name)
              JOIN pg_attribute AS a ON a.attrelid = to_regclass(t.name)
             WHERE a.attnum > 0 AND NOT a.attisdropped
             ORDER BY t.name, a.attnum
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tables.Keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var step = tables[reader.GetString(0)];
            if (!shapes.TryGetValue(step, out var columns)) shapes[step] = columns = [];
            columns.Add(new ManifestColumn(reader.GetString(1), reader.GetString(2)));
        }
        return shapes.ToDictionary(s => s.Key, s => (IReadOnlyList<ManifestColumn>)s.Value);
    }

    /// <summary>
    /// The columns a SELECT would give, without running it (<c>CREATE TEMP TABLE … AS … WITH NO
    /// DATA</c>, rolled back); the server's message when it cannot be planned (a table it reads
    /// is missing, a column is unknown).
    /// </summary>
    public static async Task<(IReadOnlyList<ManifestColumn>? Columns, string? Problem)> DescribeAsync(NpgsqlDataSource dataSource, string select, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE {Described} ON COMMIT DROP AS\n{SqlText.TrimStatement(select)}\nWITH NO DATA", connection, transaction))
                await create.ExecuteNonQueryAsync(ct);
            var columns = new List<ManifestColumn>();
            await using (var read = new NpgsqlCommand(
                $"SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'pg_temp.{Described}'::regclass AND attnum > 0 ORDER BY attnum",
                connection, transaction))
            await using (var reader = await read.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) columns.Add(new ManifestColumn(reader.GetString(0), reader.GetString(1)));
            return (columns, null);
        }
        catch (PostgresException e)
        {
            return (null, e.MessageText);
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
    }
}
