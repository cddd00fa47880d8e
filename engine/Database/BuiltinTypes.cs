using Npgsql;

namespace Lacrei.Engine.Database;

/// <summary>
/// Data sources for connections that only read and write built-in types (the run lock, the
/// migration journal): they skip loading the server's type catalog, which is one more query and
/// its parsing for every data source.
/// </summary>
public static class BuiltinTypes
{
    public static NpgsqlDataSource DataSource(string connectionString) =>
        new NpgsqlDataSourceBuilder(connectionString).ConfigureTypeLoading(types => types.EnableTypeLoading(false)).Build();
}
