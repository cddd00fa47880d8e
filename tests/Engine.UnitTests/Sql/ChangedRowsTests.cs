using Lacrei.Engine.Sql;

namespace Lacrei.Engine.Tests.Sql;

/// <summary>The SQL that finds changed source rows and the source's clock, by the cursor's type (SPEC §9.2).</summary>
public sealed class ChangedRowsTests
{
    [Theory]
    [InlineData("timestamp with time zone", "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")]
    [InlineData("timestamp(3) with time zone", "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")]
    [InlineData("timestamp without time zone", "to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS.US')")]
    [InlineData("date", "to_char(current_date, 'YYYY-MM-DD')")]
    public void A_time_cursor_is_capped_by_the_source_clock_of_its_type(string type, string clock) =>
        Assert.Equal(clock, ChangedRows.ClockText(type));

    [Theory]
    [InlineData("bigint")]
    [InlineData("numeric(12,2)")]
    [InlineData("text")]
    public void A_cursor_that_is_not_a_time_has_no_clock(string type) => Assert.Null(ChangedRows.ClockText(type));

    [Fact]
    public void A_changed_row_is_one_whose_age_lies_between_two_bounds_read_from_the_statement_snapshot()
    {
        var condition = ChangedRows.Condition(4294967300);

        Assert.StartsWith("age(r.xmin) <= (SELECT CASE", condition);
        Assert.Contains(" AND age(r.xmin) >= (SELECT CASE", condition);
        Assert.Contains("s.y - 4294967300 AS d", condition);
        Assert.Contains("pg_snapshot_xmax(pg_current_snapshot())", condition);
        // Never the snapshot's list of running transactions: it lacks subtransactions, and is empty on a standby.
        Assert.DoesNotContain("pg_visible_in_snapshot", condition);
        Assert.DoesNotContain("pg_snapshot_xip", condition);
    }
}
