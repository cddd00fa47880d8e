using Lacrei.Engine.Sql;

namespace Lacrei.Engine.Tests.Sql;

/// <summary>Statements split where PostgreSQL would split them, and nowhere else.</summary>
public sealed class SqlStatementsTests
{
    private static string[] Leading(string sql) => SqlStatements.Split(sql).Select(s => s.Leading(2)).ToArray();

    [Fact]
    public void Semicolons_split_top_level_statements()
    {
        Assert.Equal(["SELECT X", "DELETE FROM"], Leading("SELECT x; DELETE FROM t;"));
    }

    [Fact]
    public void Semicolons_in_strings_quoted_names_comments_and_dollar_quotes_do_not_split()
    {
        const string sql = """
            SELECT 'a;b' AS "x;y", E'it\'s;' AS z -- one; two
            /* outer /* nested; */ still; */ FROM t WHERE f($1) = $tag$;COMMIT;$tag$ AND g = $$;$$
            """;
        Assert.Equal(["SELECT AS"], Leading(sql));
    }

    [Fact]
    public void Comments_and_blank_statements_are_not_statements()
    {
        Assert.Equal(["SELECT X"], Leading("-- header\n;\n SELECT x ;\n/* trailing */;\n"));
    }

    [Fact]
    public void A_standard_function_body_is_one_statement()
    {
        const string sql = """
            CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC
              SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;
              SELECT 2;
            END;
            COMMIT;
            """;
        Assert.Equal(["CREATE FUNCTION", "COMMIT"], Leading(sql));
    }

    [Fact]
    public void Words_know_their_depth_and_offset()
    {
        var words = SqlStatements.Split("SELECT (SELECT 1) INTO x").Single().Words;
        Assert.Equal([("SELECT", 0, 0), ("SELECT", 8, 1), ("INTO", 18, 0), ("X", 23, 0)], words.Select(w => (w.Text, w.Offset, w.Depth)));
    }
}
