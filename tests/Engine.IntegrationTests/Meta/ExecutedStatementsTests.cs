namespace Lacrei.Engine.Tests.Meta;

/// <summary>
/// What the meta schema's procedures executed for a step is written to target/rendered/ after the
/// SQL that was sent, as comments, so the lines errors point to stay where they were.
/// </summary>
public sealed class ExecutedStatementsTests
{
    [Fact]
    public async Task After_a_run_the_rendered_file_is_the_sent_sql_then_what_the_procedure_executed()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var render = await pipeline.Engine("render", "--only", "staging.customers");
        var file = Path.Combine(pipeline.Dir, "target", "rendered", "staging", "customers.sql");
        var sent = File.ReadAllText(file);

        var run = await pipeline.Engine("run");

        Assert.True(render.ExitCode == 0 && run.ExitCode == 0, render.ToString() + run);
        var written = File.ReadAllText(file);
        Assert.StartsWith(sent, written);
        var schema = pipeline.Schema("staging").Trim('"');
        Assert.Equal("\n-- ==== executed by the meta schema's procedures ====\n" +
                     $"-- CREATE TABLE {schema}.customers (customer_id bigint, region text, created_at timestamp with time zone);\n",
            string.Join("", written[sent.Length..].Split('\n').Take(3).Select(line => line + "\n")));
        // The key after the rows (0015_bulk_writes.sql), fresh statistics, then the trigger that counts writes by anything but the step (0009_foreign_writes.sql).
        Assert.Contains($"-- ALTER TABLE {schema}.customers ADD PRIMARY KEY (customer_id);\n-- ANALYZE {schema}.customers;\n", written);
        Assert.EndsWith($"-- CREATE TRIGGER lp_foreign_writes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {schema}.customers " +
                        $"FOR EACH STATEMENT EXECUTE FUNCTION {pipeline.Schema("meta")}.lp_note_foreign_write('staging.customers', 'lacrei_pipeline.step');\n", written);
    }
}
