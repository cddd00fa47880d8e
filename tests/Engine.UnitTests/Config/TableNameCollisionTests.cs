using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>
/// SPEC §6: validate refuses two steps writing one table, and names PostgreSQL would derive for
/// two tables (indexes, primary keys, array types) that collide once cut at 63 bytes.
/// </summary>
public sealed class TableNameCollisionTests
{
    private static TempPipeline Pipeline(string steps) => TempPipeline.Create($$"""
        name: shop
        schemas:
          model: shop
          mart: shop
        layers:
          - name: model
            steps:
        {{steps}}
        """, ("x.sql", "SELECT 1 AS id"));

    [Fact]
    public void Two_steps_writing_one_table_are_refused_at_the_second()
    {
        using var pipeline = TempPipeline.Create("""
            name: shop
            schemas:
              model: shop
              mart: shop
            layers:
              - name: model
                steps:
                  - { name: a, sql: x.sql, materialize: replace, table: facts }
              - name: mart
                steps:
                  - { name: b, sql: x.sql, materialize: replace, table: facts }
            """, ("x.sql", "SELECT 1 AS id"));

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 11, 9, "steps 'model.a' and 'mart.b' both write table shop.facts",
            $"give one of them its own table: table: facts_2 (first defined at {pipeline.Display()}(8,9))");
    }

    [Fact]
    public void Index_names_that_collide_across_tables_are_refused()
    {
        using var pipeline = Pipeline("""
                  - { name: a_b, sql: x.sql, materialize: replace, indexes: [[c]] }
                  - { name: a, sql: x.sql, materialize: replace, indexes: [[b_c]] }
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Assert.Equal("step 'model.a': the index on (b_c) would be named a_b_c_idx, as step 'model.a_b''s index on (c) in schema shop", error.Message);
    }

    [Fact]
    public void Index_names_that_collide_within_one_step_are_refused()
    {
        using var pipeline = Pipeline("""
                  - { name: t, sql: x.sql, materialize: replace, indexes: [[x, y], [x_y]] }
            """);

        var error = Expect.Single(pipeline.LoadErrors());

        Assert.Equal("step 'model.t': the index on (x_y) would be named t_x_y_idx, as its index on (x, y) in schema shop", error.Message);
    }

    [Fact]
    public void Long_table_names_whose_truncated_names_collide_are_refused()
    {
        var name = new string('n', 62);
        using var pipeline = Pipeline($$"""
                  - { name: {{name}}a, sql: x.sql, materialize: replace, key: [id] }
                  - { name: {{name}}b, sql: x.sql, materialize: replace, key: [id] }
            """);

        var errors = pipeline.LoadErrors();

        Assert.Equal([
            $"step 'model.{name}b': the primary key index would be named {name[..58]}_pkey, as step 'model.{name}a''s primary key index in schema shop",
            $"step 'model.{name}b': the array type of table {name}b would be named _{name}, as step 'model.{name}a''s array type of table {name}a in schema shop",
        ], errors.Select(e => e.Message));
    }

    [Fact]
    public void Different_tables_and_indexes_are_fine()
    {
        using var pipeline = Pipeline("""
                  - { name: a, sql: x.sql, materialize: replace, key: [id], indexes: [[x], [y]] }
                  - { name: b, sql: x.sql, materialize: replace, key: [id], indexes: [[x]] }
            """);

        pipeline.Load();
    }
}
