namespace Lacrei.Engine.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task Edited_applied_migration_is_refused_naming_the_file_and_the_change()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("migrate")).ExitCode);
        pipeline.EditFile("migrations/0001_source.sql", sql => sql.Replace("region      text,", "region      varchar(2),"));

        var run = await pipeline.Engine("run");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("migrations/0001_source.sql(7,1): error: migration migrations/0001_source.sql was edited after it was applied " +
                        "(rendered line 7: was \"region      text,\", now \"region      varchar(2),\")", run.Error);
        Assert.Contains("engine migrate --repair", run.Error);
        Assert.Equal(0L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = '" + pipeline.Schema("staging").Trim('"') + "'"));
    }

    [Fact]
    public async Task Repair_records_the_reviewed_edit_and_the_next_run_proceeds()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("migrate")).ExitCode);
        pipeline.EditFile("migrations/0001_source.sql", sql => "-- reviewed: comment added\n" + sql);

        var repair = await pipeline.Engine("migrate", "--repair");

        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("repaired  migrations/0001_source.sql", repair.Out);
        Assert.Equal(0, (await pipeline.Engine("run")).ExitCode);
    }

    [Fact]
    public async Task Ten_concurrent_migrates_apply_each_script_once()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => pipeline.Engine("migrate", "--wait")));

        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, o.ToString()));
        Assert.Equal(1L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {meta}.schemaversions WHERE scriptname = 'migrations/0001_source.sql'"));
        Assert.Equal(4L, await pipeline.ScalarAsync<long>("SELECT count(*) FROM {source:shop}.customers"));
    }

    [Fact]
    public async Task Parameters_are_part_of_the_checksum()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        Assert.Equal(0, (await pipeline.Engine("migrate")).ExitCode);
        // The same file rendered with another source schema is another script: refused, not silently skipped.
        var otherSchema = await EngineCli.RunAsync(["migrate", "--project", pipeline.YamlPath,
            .. pipeline.Overrides.SelectMany(o => new[] { "--var", o.StartsWith("sources.") ? o + "x" : o })]);
        Assert.Equal(2, otherSchema.ExitCode);
        Assert.Contains("was edited after it was applied", otherSchema.Error);
    }
}
