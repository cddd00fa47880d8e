using Lacrei.Engine.Meta;
using Lacrei.Engine.Cli;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Cli;

/// <summary>The run summary words a step's failure from its parts: place and caret, message with detail, hint.</summary>
public sealed class RunReportTests
{
    private static readonly DateTimeOffset Start = new(2025, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_failed_step_is_shown_at_its_place_with_the_detail_and_the_hint_and_its_descendants_with_the_cause()
    {
        using var files = TempPipeline.Create("name: report");
        files.Write("target/rendered/mart/daily.sql", "SELECT\n    sum(f.total) / 0 AS revenue\nFROM f");
        var at = new SourceSpan(files.Display("target/rendered/mart/daily.sql"), 2, 5);
        var daily = new StepId("mart", "daily");
        var result = new RunResult("r1", "cli", "all", Start, Start.AddSeconds(2),
        [
            new StepResult(new StepId("model", "facts"), StepStatus.Success, 12, 0.5),
            new StepResult(daily, StepStatus.Failed, 0, 0.25,
                new StepFailure(FailureKind.Sql, "duplicate key value violates unique constraint \"daily_pkey\"", at, "23505",
                    "Key (day)=(2025-12-01) already exists.", "declare the key the SELECT really has")),
            new StepResult(new StepId("mart", "region"), StepStatus.Skipped, 0, 0,
                new StepFailure(FailureKind.UpstreamFailed, "skipped: upstream step mart.daily failed", Cause: daily)),
        ]);
        var output = new StringWriter();
        var error = new StringWriter();

        await RunReport.WriteAsync(result, output, error);

        Assert.Equal(RunStatus.Partial, result.Status);
        Assert.Equal("""
              success  model.facts                                     12 rows    0.500s
              failed   mart.daily                               duplicate key value violates unique constraint "daily_pkey" (Key (day)=(2025-12-01) already exists.)
              skipped  mart.region                              skipped: upstream step mart.daily failed
            run r1: partial: 1 of 3 steps, 12 rows written, 2.00s

            """, output.ToString().ReplaceLineEndings("\n"));
        Assert.Equal($"""
            {at}: error: step mart.daily failed: duplicate key value violates unique constraint "daily_pkey" (Key (day)=(2025-12-01) already exists.)
             2 |     sum(f.total) / 0 AS revenue
               |     ^
              hint: declare the key the SELECT really has

            """, error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_json_result_keeps_error_as_one_string_beside_its_location()
    {
        var failure = new StepFailure(FailureKind.Sql, "division by zero", new SourceSpan("target/rendered/mart/daily.sql", 2, 5), "22012",
            Hint: "guard the divisor");
        var result = new RunResult("r1", "cli", "all", Start, Start.AddSeconds(1),
            [new StepResult(new StepId("mart", "daily"), StepStatus.Failed, 0, 0.25, failure)]);

        var json = System.Text.Json.Nodes.JsonNode.Parse(RunJson.Write(result))!["steps"]![0]!;

        Assert.Equal("division by zero\n  hint: guard the divisor", json["error"]!.GetValue<string>());
        Assert.Equal("target/rendered/mart/daily.sql(2,5)", json["error_location"]!.GetValue<string>());
    }
}
