using System.Data;
using System.Security.Cryptography;
using System.Text;
using DbUp.Engine;
using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Migrations;

/// <summary>
/// DbUp's journal, kept in the meta schema, that also stores each applied script's checksum and
/// text — of the rendered SQL, so a changed parameter counts as a change (SPEC §7). The row is
/// written with DbUp's command factory, in the same transaction as the script.
/// </summary>
internal sealed class ChecksumJournal(Identifier schema, NpgsqlDataSource connections) : IJournal
{
    public string Table => $"{schema.Quoted}.schemaversions";

    public static string Checksum(string contents) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(contents.ReplaceLineEndings("\n")))).ToLowerInvariant();

    public string CreateSql =>
        $"""
        CREATE SCHEMA IF NOT EXISTS {schema.Quoted};
        CREATE TABLE IF NOT EXISTS {Table} (
            schemaversionsid serial PRIMARY KEY,
            scriptname       varchar(255) NOT NULL,
            applied          timestamp NOT NULL,
            checksum         text,
            script           text
        );
        """;

    public string[] GetExecutedScripts() => [.. ReadApplied().Keys];

    /// <summary>Applied scripts by name, with their checksum and text (none before the journal exists).</summary>
    public Dictionary<string, (string? Checksum, string? Script)> ReadApplied()
    {
        using var connection = connections.OpenConnection();
        using var exists = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", connection);
        exists.Parameters.AddWithValue("t", Table);
        var result = new Dictionary<string, (string?, string?)>();
        if (!(bool)exists.ExecuteScalar()!) return result;
        using var command = new NpgsqlCommand($"SELECT scriptname, checksum, script FROM {Table} ORDER BY schemaversionsid", connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            result[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        return result;
    }

    public void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        using var command = dbCommandFactory();
        command.CommandText = $"INSERT INTO {Table} (scriptname, applied, checksum, script) VALUES (@name, (now() AT TIME ZONE 'UTC'), @checksum, @script)";
        AddParameter(command, "name", script.Name);
        AddParameter(command, "checksum", Checksum(script.Contents));
        AddParameter(command, "script", script.Contents);
        command.ExecuteNonQuery();
    }

    public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> dbCommandFactory)
    {
        using var command = dbCommandFactory();
        command.CommandText = CreateSql;
        command.ExecuteNonQuery();
    }

    private static void AddParameter(IDbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
