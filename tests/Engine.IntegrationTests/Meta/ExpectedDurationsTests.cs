using Lacrei.Engine.Config;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Meta;
using Npgsql;

namespace Lacrei.Engine.Tests;

/// <summary>
/// What the scheduler expects each step to take (issue 21): the run log's recent runs of the same
/// kind, a step found unchanged counting as none. A dimension that only the full refresh built
/// must not hold the next incremental run's critical path back behind its one slow build.
/// </summary>
public sealed class ExpectedDurationsTests
{
    [Fact]
    public async Task Runs_of_the_same_kind_count_and_an_unchanged_step_takes_no_time()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        var migrate = await pipeline.Engine("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        await pipeline.ExecuteAsync("""
            INSERT INTO {meta}.runs (run_id, trigger, selection, as_of, options, status, started_at, finished_at) VALUES
                ('full', 'cli', 'all', '2025-12-01', '{"full_refresh": true}', 'success', '2025-12-01 10:00', '2025-12-01 10:01'),
                ('delta', 'cli', 'all', '2025-12-01', '{"full_refresh": false}', 'success', '2025-12-01 11:00', '2025-12-01 11:01'),
                ('noop', 'cli', 'all', '2025-12-01', '{}', 'partial', '2025-12-01 12:00', '2025-12-01 12:01');
            INSERT INTO {meta}.run_steps (run_id, step, status, rows, seconds, finished_at) VALUES
                ('full', 'model.dim', 'success', 10, 1.0, '2025-12-01 10:01'),
                ('delta', 'model.dim', 'unchanged', 0, 0, '2025-12-01 11:01'),
                ('noop', 'model.dim', 'unchanged', 0, 0, '2025-12-01 12:01'),
                ('full', 'staging.orders', 'success', 10, 2.0, '2025-12-01 10:01'),
                ('delta', 'staging.orders', 'success', 1, 0.2, '2025-12-01 11:01'),
                ('noop', 'staging.orders', 'success', 0, 0.4, '2025-12-01 12:01'),
                ('full', 'mart.built_once', 'success', 10, 0.5, '2025-12-01 10:01'),
                ('delta', 'mart.failed', 'failed', 0, 3.0, '2025-12-01 11:01'),
                ('noop', 'mart.unchanged_since', 'unchanged', 0, 0, '2025-12-01 12:01');
            """);

        var incremental = await ExpectedAsync(pipeline, fullRefresh: false);
        var full = await ExpectedAsync(pipeline, fullRefresh: true);

        Assert.Equal(0.0, incremental["model.dim"]);
        Assert.Equal(1.0, full["model.dim"]);
        Assert.Equal(0.3, incremental["staging.orders"], 6);
        Assert.Equal(2.0, full["staging.orders"]);
        // Never run in this kind: its last successful duration; a failure is no duration at all.
        Assert.Equal(0.5, incremental["mart.built_once"]);
        Assert.False(incremental.ContainsKey("mart.failed"));
        Assert.Equal(0.0, incremental["mart.unchanged_since"]);
        Assert.False(full.ContainsKey("mart.unchanged_since"));
    }

    private static async Task<IReadOnlyDictionary<string, double>> ExpectedAsync(IsolatedPipeline pipeline, bool fullRefresh)
    {
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        return await new RunLogReader(Identifier.Parse(pipeline.Schema("meta").Trim('"'))).ExpectedDurationsAsync(connection, RunRequest.FullRefreshOption, fullRefresh,
            CancellationToken.None);
    }
}
