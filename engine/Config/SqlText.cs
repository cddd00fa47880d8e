namespace Lacrei.Engine.Config;

/// <summary>SQL literal helpers for the SQL the engine writes itself.</summary>
public static class SqlText
{
    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    /// <summary>A step's SELECT without trailing semicolons and blank space, so the engine can wrap it.</summary>
    public static string TrimStatement(string sql)
    {
        var end = sql.Length;
        while (end > 0 && (char.IsWhiteSpace(sql[end - 1]) || sql[end - 1] == ';')) end--;
        return sql[..end];
    }
}
