using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>Running the pipeline again on an unchanged source changes nothing and rewrites no row (issue 3).</summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task A_second_run_on_the_demo_source_leaves_every_table_identical_and_writes_0_rows_in_every_step()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        var first = await RunOkAsync(p);
        Assert.Contains(first.Steps, s => s.Rows > 0);

        var tables = await TablesAsync(p);
        Assert.Equal(46, tables.Count); // 16 + 17 + 9 + 4
        var before = await SnapshotAsync(p, tables);

        var second = await RunOkAsync(p);
        Assert.Equal(46, second.Steps.Count);
        AssertRowsInOrder([], second.Steps.Where(s => s.Rows != 0 || s.Status is not ("success" or "unchanged"))
            .Select(s => $"{s.Step}: {s.Status}, {s.Rows} rows"));
        AssertSameContent(before, await SnapshotAsync(p, tables), "tables changed by the second run");
    }
}
