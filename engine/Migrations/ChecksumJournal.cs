using System.Data;
using DbUp.Engine;
using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;
using Npgsql;

namespace Lacrei.Engine.Migrations;

/// <summary>
/// DbUp's journal as <see cref="Journal"/> keeps it in the meta schema, with each applied script's
/// checksum and text. The row is written with DbUp's command factory, in the same transaction as
/// the script.
/// </summary>
internal sealed class ChecksumJournal(Identifier schema, NpgsqlDataSource connections) : IJournal
{
    public Journal Journal { get; } = new(schema);

    public string[] GetExecutedScripts() => [.. ReadApplied().Keys];

    /// <summary>Applied scripts by name, with their checksum and text (none before the journal exists).</summary>
    public Dictionary<string, (string? Checksum, string? Script)> ReadApplied()
    {
        using var connection = connections.OpenConnection();
        return Journal.ReadApplied(connection);
    }

    public void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        using var command = dbCommandFactory();
        command.CommandText = Journal.StoreSql;
        AddParameter(command, "name", script.Name);
        AddParameter(command, "checksum", Journal.Checksum(script.Contents));
        AddParameter(command, "script", script.Contents);
        command.ExecuteNonQuery();
    }

    public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> dbCommandFactory)
    {
        using var command = dbCommandFactory();
        command.CommandText = Journal.CreateSql;
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
