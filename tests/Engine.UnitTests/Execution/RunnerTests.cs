using Lacrei.Engine.Meta;
using System.Collections.Concurrent;
using Lacrei.Engine.Config;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Graph;
using Lacrei.Engine.Templating;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Execution;

/// <summary>
/// SPEC §6, the scheduling of a run without a database: the schedules drive an executor that
/// runs no SQL, each step succeeding unless the test says it fails.
/// </summary>
public sealed class RunnerTests : IDisposable
{
    // staging.orders → model.facts → mart.daily, mart.region; staging.customers → mart.customers.
    private readonly TempPipeline _pipeline = TempPipeline.Create("""
        name: shop
        schemas:
          staging: shop_staging
          model: shop_model
          mart: shop_mart
        layers:
          - name: staging
            steps:
              - { name: orders, sql: orders.sql, materialize: replace }
              - { name: customers, sql: customers.sql, materialize: replace }
          - name: model
            steps:
              - { name: facts, sql: facts.sql, materialize: replace }
          - name: mart
            steps:
              - { name: daily, sql: daily.sql, materialize: replace }
              - { name: region, sql: region.sql, materialize: replace }
              - { name: customers, sql: mart_customers.sql, materialize: replace }
        """,
        ("orders.sql", "SELECT 1 AS id"),
        ("customers.sql", "SELECT 1 AS id"),
        ("facts.sql", "SELECT o.id FROM {{ ref \"staging.orders\" }} AS o"),
        ("daily.sql", "SELECT count(*) AS n FROM {{ ref \"model.facts\" }}"),
        ("region.sql", "SELECT count(*) AS n FROM {{ ref \"model.facts\" }}"),
        ("mart_customers.sql", "SELECT count(*) AS n FROM {{ ref \"staging.customers\" }}"));

    private readonly Workspace _workspace;

    public RunnerTests() => _workspace = _pipeline.Build();

    public void Dispose() => _pipeline.Dispose();

    private static StepId Id(string text) => StepId.TryParse(text, out var id) ? id : throw new ArgumentException(text);

    private IReadOnlyList<StepId> All => _workspace.Dag.Order;

    private Task<IReadOnlyList<StepResult>> RunParallelAsync(FakeExecutor executor, int threads = 2, CancellationToken ct = default,
        IReadOnlyList<StepId>? selected = null) =>
        new ParallelSchedule(_workspace, executor, IRunProgress.None, null, StepPriority.FromDurations(_workspace.Dag, All, new Dictionary<string, double>()))
            .RunAsync(selected ?? All, threads, ct);

    private static Dictionary<string, (StepStatus, FailureKind?, StepId?)> Outcome(IEnumerable<StepResult> results) =>
        results.ToDictionary(r => r.Step.ToString(), r => (r.Status, r.Failure?.Kind, r.Failure?.Cause));

    [Fact]
    public async Task A_failed_step_skips_its_descendants_with_the_cause_and_independent_steps_still_run()
    {
        var executor = new FakeExecutor("model.facts");

        var steps = await RunParallelAsync(executor);

        Assert.Equal(new Dictionary<string, (StepStatus, FailureKind?, StepId?)>
        {
            ["staging.orders"] = (StepStatus.Success, null, null),
            ["staging.customers"] = (StepStatus.Success, null, null),
            ["model.facts"] = (StepStatus.Failed, FailureKind.Sql, null),
            ["mart.daily"] = (StepStatus.Skipped, FailureKind.UpstreamFailed, Id("model.facts")),
            ["mart.region"] = (StepStatus.Skipped, FailureKind.UpstreamFailed, Id("model.facts")),
            ["mart.customers"] = (StepStatus.Success, null, null),
        }, Outcome(steps));
        Assert.Equal("skipped: upstream step model.facts failed", steps.Single(s => s.Step == Id("mart.daily")).Failure!.Text);
        Assert.DoesNotContain("mart.daily", executor.Started);
        // The failed step and its skipped descendants are logged outside any transaction; successes log themselves.
        Assert.Equal(["model.facts", "mart.daily", "mart.region"], executor.Recorded.Select(r => r.Step.ToString()));
        Assert.Equal(RunStatus.Partial, Result(steps).Status);
    }

    [Fact]
    public async Task Every_step_runs_after_its_upstream_steps_and_no_more_than_threads_at_once()
    {
        var executor = new FakeExecutor();

        var steps = await RunParallelAsync(executor, threads: 2);

        Assert.All(steps, s => Assert.Equal(StepStatus.Success, s.Status));
        var started = executor.Started.ToList();
        foreach (var step in All)
            foreach (var upstream in _workspace.Dag.UpstreamOf(step))
                Assert.True(started.IndexOf(upstream.ToString()) < started.IndexOf(step.ToString()), $"{upstream} before {step}: {string.Join(", ", started)}");
        Assert.InRange(executor.MostAtOnce, 1, 2);
        Assert.Empty(executor.Recorded);
        Assert.Equal(RunStatus.Success, Result(steps).Status);
    }

    [Fact]
    public async Task A_step_waits_for_a_selected_ancestor_even_when_the_step_between_them_is_not_selected()
    {
        // --exclude model.facts: mart.daily and mart.region still read what staging.orders writes
        // in this run, so they start only after it finished.
        var executor = new FakeExecutor();
        var selected = All.Where(s => s != Id("model.facts")).ToList();

        var steps = await RunParallelAsync(executor, threads: 5, selected: selected);

        Assert.All(steps, s => Assert.Equal(StepStatus.Success, s.Status));
        var events = executor.Events.ToList();
        foreach (var mart in new[] { "mart.daily", "mart.region" })
            Assert.True(events.IndexOf("end staging.orders") < events.IndexOf($"start {mart}"), string.Join(", ", events));
    }

    [Fact]
    public async Task A_cancelled_run_starts_no_further_step_and_says_which_never_started()
    {
        using var cancel = new CancellationTokenSource();
        var executor = new FakeExecutor { OnStart = step => { if (step == "staging.orders") cancel.Cancel(); } };

        var steps = await RunParallelAsync(executor, threads: 1, cancel.Token);

        Assert.Equal(["staging.orders"], executor.Started);
        Assert.Equal(new Dictionary<string, (StepStatus, FailureKind?, StepId?)>
        {
            ["staging.orders"] = (StepStatus.Failed, FailureKind.Cancelled, null),
            ["staging.customers"] = (StepStatus.Skipped, FailureKind.NotStarted, null),
            ["model.facts"] = (StepStatus.Skipped, FailureKind.UpstreamFailed, Id("staging.orders")),
            ["mart.daily"] = (StepStatus.Skipped, FailureKind.UpstreamFailed, Id("staging.orders")),
            ["mart.region"] = (StepStatus.Skipped, FailureKind.UpstreamFailed, Id("staging.orders")),
            ["mart.customers"] = (StepStatus.Skipped, FailureKind.NotStarted, null),
        }, Outcome(steps));
        Assert.Equal("not started: the run was cancelled", steps.Single(s => s.Step == Id("mart.customers")).Failure!.Text);
        Assert.Equal(RunStatus.Cancelled, Result(steps, cancelled: true).Status);
    }

    [Fact]
    public async Task Atomic_run_rolls_everything_back_when_a_step_fails()
    {
        var executor = new FakeExecutor("model.facts");

        var steps = await new AtomicSchedule(_workspace, executor, IRunProgress.None).RunAsync(All, CancellationToken.None);

        var facts = Id("model.facts");
        Assert.Equal(new Dictionary<string, (StepStatus, FailureKind?, StepId?)>
        {
            ["staging.orders"] = (StepStatus.Skipped, FailureKind.RolledBack, facts),
            ["staging.customers"] = (StepStatus.Skipped, FailureKind.RolledBack, facts),
            ["model.facts"] = (StepStatus.Failed, FailureKind.Sql, null),
            ["mart.daily"] = (StepStatus.Skipped, FailureKind.RolledBack, facts),
            ["mart.region"] = (StepStatus.Skipped, FailureKind.RolledBack, facts),
            ["mart.customers"] = (StepStatus.Skipped, FailureKind.RolledBack, facts),
        }, Outcome(steps));
        Assert.Equal("rolled back: --atomic and step model.facts failed", steps[0].Failure!.Text);
        Assert.Equal(["staging.orders", "staging.customers", "model.facts"], executor.Started);
        Assert.Equal((false, true), (executor.Transaction!.Committed, executor.Transaction.Disposed));
        Assert.Equal(All.Select(s => s.ToString()), executor.Recorded.Select(r => r.Step.ToString()));
        Assert.Equal(RunStatus.Failed, Result(steps).Status);
    }

    [Fact]
    public async Task Atomic_run_commits_every_step_together()
    {
        var executor = new FakeExecutor();

        var steps = await new AtomicSchedule(_workspace, executor, IRunProgress.None).RunAsync(All, CancellationToken.None);

        Assert.All(steps, s => Assert.Equal(StepStatus.Success, s.Status));
        Assert.Equal(All.Select(s => s.ToString()), executor.Started);
        Assert.Equal(All.Select(s => s.ToString()), executor.Transaction!.CommittedSteps);
        Assert.Empty(executor.Recorded);
    }

    private static RunResult Result(IReadOnlyList<StepResult> steps, bool cancelled = false) =>
        new("r1", "cli", "all", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, steps, cancelled);

    /// <summary>
    /// Runs no SQL: a step succeeds with one row unless named as failing, and fails as the real
    /// executor's guard makes it fail when the run is cancelled under it.
    /// </summary>
    private sealed class FakeExecutor(params string[] failing) : IStepExecutor
    {
        private int _running;
        private int _mostAtOnce;

        public ConcurrentQueue<string> Started { get; } = new();
        public ConcurrentQueue<string> Events { get; } = new();
        public ConcurrentQueue<StepResult> Recorded { get; } = new();
        public Action<string>? OnStart { get; init; }
        public FakeTransaction? Transaction { get; private set; }
        public int MostAtOnce => _mostAtOnce;

        public async Task<StepResult> RunAsync(RenderedStep step, ChangeDetector? detector, CancellationToken ct)
        {
            var running = Interlocked.Increment(ref _running);
            InterlockedMax(ref _mostAtOnce, running);
            Events.Enqueue($"start {step.Step.Id}");
            try
            {
                await Task.Delay(10, CancellationToken.None);
                return Run(step, ct);
            }
            finally
            {
                Events.Enqueue($"end {step.Step.Id}");
                Interlocked.Decrement(ref _running);
            }
        }

        public Task<IAtomicTransaction> BeginAtomicAsync(CancellationToken ct) =>
            Task.FromResult<IAtomicTransaction>(Transaction = new FakeTransaction(this));

        public Task RecordAsync(StepResult result)
        {
            Recorded.Enqueue(result);
            return Task.CompletedTask;
        }

        public StepResult Run(RenderedStep step, CancellationToken ct)
        {
            var id = step.Step.Id;
            Started.Enqueue(id.ToString());
            OnStart?.Invoke(id.ToString());
            if (ct.IsCancellationRequested)
                return new StepResult(id, StepStatus.Failed, 0, 0, new StepFailure(FailureKind.Cancelled, "cancelled; the step was rolled back"));
            return failing.Contains(id.ToString())
                ? new StepResult(id, StepStatus.Failed, 0, 0, new StepFailure(FailureKind.Sql, "division by zero", SqlState: "22012"))
                : new StepResult(id, StepStatus.Success, 1, 0.01);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            for (var seen = target; value > seen; seen = target)
                if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }

    private sealed class FakeTransaction(FakeExecutor executor) : IAtomicTransaction
    {
        public bool Committed { get; private set; }
        public bool Disposed { get; private set; }
        public List<string> CommittedSteps { get; } = [];

        public Task<StepResult> RunAsync(RenderedStep step, CancellationToken ct) => Task.FromResult(executor.Run(step, ct));

        public Task CommitAsync(IReadOnlyList<StepResult> results, CancellationToken ct)
        {
            Committed = true;
            CommittedSteps.AddRange(results.Select(r => r.Step.ToString()));
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
