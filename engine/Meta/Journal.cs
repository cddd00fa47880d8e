using System.Security.Cryptography;
using System.Text;
using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// DbUp's journal in the meta schema (<c>schemaversions</c>): every applied script with the
/// checksum and text of its rendered SQL, so a changed parameter counts as a change (SPEC §7).
/// The engine's meta scripts, the pipeline's migrations and the tables <c>lp_materialize</c>
/// creates (<c>auto/&lt;step&gt;.sql</c>, written by the procedure) share one checksum: <see cref="Checksum"/>,
/// which the procedure computes as <c>lp_checksum</c> (0008_materialize_parts.sql).
/// </summary>
public sealed class Journal(Identifier meta)
{
    public string Table => $"{meta.Quoted}.schemaversions";

    /// <summary>Hex SHA-256 of the script's UTF-8 text with <c>\n</c> line ends.</summary>
    public static string Checksum(string contents) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(contents.ReplaceLineEndings("\n")))).ToLowerInvariant();

    public string CreateSql =>
        $"""
        CREATE SCHEMA IF NOT EXISTS {meta.Quoted};
        CREATE TABLE IF NOT EXISTS {Table} (
            schemaversionsid serial PRIMARY KEY,
            scriptname       varchar(255) NOT NULL,
            applied          timestamp NOT NULL,
            checksum         text,
            script           text
        );
        """;

    /// <summary>Records an applied script; parameters <c>@name</c>, <c>@checksum</c>, <c>@script</c> (DbUp's command, in the script's transaction).</summary>
    public string StoreSql => $"INSERT INTO {Table} (scriptname, applied, checksum, script) VALUES (@name, (now() AT TIME ZONE 'UTC'), @checksum, @script)";

    /// <summary>Applied scripts by name, with their checksum and text (none before the journal exists).</summary>
    public Dictionary<string, (string? Checksum, string? Script)> ReadApplied(NpgsqlConnection connection)
    {
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

    /// <summary>Forgets a script, so that it is applied again (the engine's own scripts, when a newer engine changed them).</summary>
    public void Forget(NpgsqlConnection connection, string name)
    {
        using var command = new NpgsqlCommand($"DELETE FROM {Table} WHERE scriptname = @n", connection);
        command.Parameters.AddWithValue("n", name);
        command.ExecuteNonQuery();
    }

    /// <summary>Records a reviewed edit of an applied script as its new text (<c>migrate --repair</c>).</summary>
    public void Rerecord(NpgsqlConnection connection, string name, string script)
    {
        using var command = new NpgsqlCommand($"UPDATE {Table} SET checksum = @c, script = @s WHERE scriptname = @n", connection);
        command.Parameters.AddWithValue("c", Checksum(script));
        command.Parameters.AddWithValue("s", script);
        command.Parameters.AddWithValue("n", name);
        command.ExecuteNonQuery();
    }
}
