using Lacrei.Engine.Meta;
using Npgsql;

namespace Lacrei.Engine.Tests.Meta;

/// <summary>
/// A warehouse built by an earlier engine upgrades cleanly: its meta scripts (journaled with their
/// checksums) are re-applied where this engine changed them, and what the old procedure built
/// goes on working.
/// </summary>
public sealed class MetaUpgradeTests
{
    /// <summary>The meta scripts of main at 61e05b5: the old lp_materialize, the others as they still are.</summary>
    private static IEnumerable<(string Name, string Text)> PreviousScripts() =>
        Directory.EnumerateFiles(Repo.Path("engine", "Meta"), "*.sql").Select(f => Path.GetFileName(f)!)
            .Where(name => string.CompareOrdinal(name, "0007") < 0).Order(StringComparer.Ordinal)
            .Select(name => (name, File.ReadAllText(File.Exists(Repo.Path("tests", "fixtures", "meta-61e05b5", name))
                ? Repo.Path("tests", "fixtures", "meta-61e05b5", name)
                : Repo.Path("engine", "Meta", name))));

    [Fact]
    public async Task A_warehouse_of_the_previous_engine_upgrades_and_runs_twice_without_rewriting_a_row()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await ApplyAsTheOldEngineDidAsync(pipeline);
        // A table the old procedure created, with its journal row (checksummed with md5 then).
        await pipeline.ExecuteAsync($$"""
            CREATE SCHEMA {staging};
            BEGIN;
            CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS SELECT 1 AS id, 'a'::text AS name;
            CALL {meta}.lp_materialize('upsert', '{{pipeline.Schema("staging").Trim('"')}}', 'legacy', ARRAY['id'], false, false, 'staging.legacy', false, false, NULL, NULL);
            COMMIT;
            """);

        var first = await pipeline.Engine("run");
        var second = await pipeline.Engine("run", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotMatch("\"rows\": [1-9]", second.Out);
        Assert.Equal(1L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.schemaversions WHERE scriptname = 'engine/0008_materialize_parts.sql'"));
        // One procedure and one lp_delete, the new ones: no overload of the old engine is left to be called by mistake.
        Assert.Equal("lp_delete(text,text,boolean,text[]); lp_materialize(text,text,text,text[],text,text,boolean,boolean,boolean,text,text,text,integer,bigint,boolean,bigint,text[])",
            await pipeline.ScalarAsync<string>("SELECT string_agg(regexp_replace(oid::regprocedure::text, '^[^(]*[.]', ''), '; ' ORDER BY proname) FROM pg_proc " +
                                               "WHERE pronamespace = to_regnamespace('{meta}') AND proname IN ('lp_materialize', 'lp_delete')"));
        await pipeline.ExecuteAsync($$"""
            BEGIN;
            CREATE TEMP TABLE {{StepTables.Rows}} ON COMMIT DROP AS SELECT 1 AS id, 'b'::text AS name;
            CALL {meta}.lp_materialize(p_mode => 'upsert', p_schema => '{{pipeline.Schema("staging").Trim('"')}}', p_table => 'legacy', p_keys => ARRAY['id'],
                p_step => 'staging.legacy', p_rows_table => '{{StepTables.Rows}}', p_delete_missing => false, p_full_refresh => false, p_track => false);
            COMMIT;
            """);
        Assert.Equal("b", await pipeline.ScalarAsync<string>("SELECT name FROM {staging}.legacy WHERE id = 1"));
    }

    /// <summary>Each previous meta script rendered, run and journaled with its checksum, as the migrator of that engine did.</summary>
    private static async Task ApplyAsTheOldEngineDidAsync(IsolatedPipeline pipeline)
    {
        var meta = pipeline.Schema("meta");
        var journal = new Journal(Config.Identifier.Parse(meta.Trim('"')));
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(journal.CreateSql, connection)) await create.ExecuteNonQueryAsync();
        foreach (var (name, text) in PreviousScripts())
        {
            var rendered = text.Replace("{{ schemas.meta }}", meta);
            await using (var apply = new NpgsqlCommand(rendered, connection)) await apply.ExecuteNonQueryAsync();
            await using var record = new NpgsqlCommand(journal.StoreSql, connection);
            record.Parameters.AddWithValue("name", "engine/" + name);
            record.Parameters.AddWithValue("checksum", Journal.Checksum(rendered));
            record.Parameters.AddWithValue("script", rendered);
            await record.ExecuteNonQueryAsync();
        }
    }
}
