namespace Lacrei.Engine.Config;

/// <summary>SQL literal helpers for the SQL the engine writes itself.</summary>
public static class SqlText
{
    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    /// <summary>A text[] of the values, each a literal: <c>ARRAY['a', 'b']::text[]</c> (typed, so an empty one is too).</summary>
    public static string TextArray(IEnumerable<string> values) => $"ARRAY[{string.Join(", ", values.Select(Literal))}]::text[]";

    /// <summary>A CALL with named arguments, each value already SQL: <c>CALL proc(p_a => 'x', p_b => true)</c>.</summary>
    public static string Call(string procedure, IEnumerable<(string Name, string Value)> arguments) =>
        $"CALL {procedure}({string.Join(", ", arguments.Select(a => $"{a.Name} => {a.Value}"))})";

    /// <summary>A step's SELECT without trailing semicolons and blank space, so the engine can wrap it.</summary>
    public static string TrimStatement(string sql)
    {
        var end = sql.Length;
        while (end > 0 && (char.IsWhiteSpace(sql[end - 1]) || sql[end - 1] == ';')) end--;
        return sql[..end];
    }
}
