using Lacrei.Engine.Config;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Config;

/// <summary>
/// Issue 19: lock_timeout, lock_wait_limit, statement_timeout and run_lease are top-level keys
/// of pipeline.yaml, statement_timeout also a step's; durations carry PostgreSQL's units.
/// </summary>
public sealed class TimeoutsTests
{
    private static TempPipeline Create(string top, string step = "") => TempPipeline.Create($$"""
        name: shop
        {{top}}
        schemas:
          mart: shop_mart
        layers:
          - name: mart
            steps:
              - name: orders
                sql: orders.sql
                materialize: upsert
                key: [id]
        {{step}}
        """, ("orders.sql", "SELECT 1 AS id"));

    private static Timeouts StepTimeouts(TempPipeline pipeline) => pipeline.Load().Steps.Single().Timeouts;

    [Fact]
    public void Without_keys_a_step_waits_2s_per_lock_5min_in_all_and_the_lease_lasts_a_minute()
    {
        using var pipeline = Create("");

        Assert.Equal(new Timeouts(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), null, TimeSpan.FromMinutes(1)), StepTimeouts(pipeline));
    }

    [Fact]
    public void Top_level_keys_apply_to_every_step_and_a_steps_statement_timeout_replaces_the_pipelines()
    {
        using var pipeline = Create("lock_timeout: 500ms\nlock_wait_limit: 1min\nstatement_timeout: 1h\nrun_lease: 30s",
            "        statement_timeout: 90s");

        Assert.Equal(new Timeouts(TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(30)),
            StepTimeouts(pipeline));
        Assert.Equal(TimeSpan.FromHours(1), pipeline.Load().Timeouts.StatementTimeout);
    }

    [Fact]
    public void A_duration_without_a_unit_is_an_error_at_its_place()
    {
        using var pipeline = Create("lock_timeout: 2");

        var error = Expect.Single(pipeline.LoadErrors());

        Expect.Diagnostic(error, pipeline.Display(), 2, 15, "'lock_timeout' in pipeline.yaml must be a duration, found '2'",
            "a number and a unit: ms, s, min, h or d (e.g. 500ms, 2s, 5min)");
    }

    [Fact]
    public void Lock_timeout_under_settings_is_refused_because_the_engine_acts_on_it()
    {
        using var pipeline = Create("settings:\n  lock_timeout: 5s");

        var error = Expect.Single(pipeline.LoadErrors());

        Assert.Equal("set lock_timeout as a top-level key of pipeline.yaml, not under settings:", error.Message);
        Assert.Equal("the engine acts on it (docs/operations.md): 'lock_timeout: 5s' at the top level", error.Hint);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("5min", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0", 0)]
    public void Durations_use_postgresql_units(string text, int milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData(2_000, "2s", "2000ms")]
    [InlineData(300_000, "5min", "300000ms")]
    [InlineData(1_500, "1500ms", "1500ms")]
    public void Durations_are_shown_in_the_largest_whole_unit_and_set_in_milliseconds(int milliseconds, string text, string setting)
    {
        Assert.Equal(text, Duration.Text(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(setting, Duration.Setting(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Theory]
    [InlineData(12.4, "12s")]
    [InlineData(372, "6min 12s")]
    [InlineData(300, "5min")]
    [InlineData(7500, "2h 5min")]
    public void Waits_are_told_to_the_second_in_minutes_and_hours(double seconds, string text) =>
        Assert.Equal(text, Duration.Human(TimeSpan.FromSeconds(seconds)));
}
