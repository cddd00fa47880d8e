using Lacrei.Engine.Config;

namespace Lacrei.Engine.Sql;

/// <summary>
/// Source freshness (issue 23), read on the source: the age in seconds of the newest row by its
/// cursor, counting only cursors not after the source's clock (a row dated in the future or
/// <c>infinity</c> must not make a table look fresh), and how many rows are after it.
/// </summary>
public static class FreshnessSql
{
    public static string NewestByCursor(Identifier schema, string table, string cursor)
    {
        var column = $"{Identifier.Parse(cursor).Quoted}::timestamptz";
        return $"SELECT extract(epoch FROM now() - max({column}) FILTER (WHERE {column} <= now()))::float8, " +
               $"count(*) FILTER (WHERE {column} > now()) " +
               $"FROM {schema.Quoted}.{Identifier.Parse(table).Quoted}";
    }
}
