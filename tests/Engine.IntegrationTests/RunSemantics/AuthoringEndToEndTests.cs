namespace Lacrei.Engine.Tests.RunSemantics;

/// <summary>
/// Issue 22: a pipeline outside the repository's pipelines (tests/fixtures/authoring copied to a
/// temporary folder) with a view, a macro and list and mapping vars, run with <c>engine run</c>.
/// </summary>
public sealed class AuthoringEndToEndTests
{
    private static string Fixture => Repo.Path("tests", "fixtures", "authoring");

    [Fact]
    public async Task A_view_a_macro_and_list_vars_run_end_to_end_and_a_changed_macro_reruns_its_steps()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);
        Assert.False(pipeline.Dir.StartsWith(Repo.Path(""), StringComparison.Ordinal));

        var first = await pipeline.Engine("run");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("v", await pipeline.ScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE oid = '{staging}.payments'::regclass"));
        // boleto is not among vars.payment_methods; cents become reais through the macro.
        Assert.Equal("(credit_card,175.00,1)\n(pix,13.49,0)", await pipeline.ContentAsync("{mart}.revenue_by_method"));
        Assert.Equal(0L, await pipeline.ScalarAsync<long>($"SELECT count(*) FROM \"authoring_pipeline{pipeline.Suffix}_failures\".mart__revenue_by_method__no_negative_revenue"));

        var again = await pipeline.Engine("run");
        Assert.Matches(@"unchanged\s+staging\.payments", again.Out);
        Assert.Matches(@"unchanged\s+mart\.revenue_by_method", again.Out);

        pipeline.EditFile("macros/money.sql", sql => sql.Replace("/ 100.0, 2)", "/ 100.0, 1)"));
        var changed = await pipeline.Engine("run");

        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Matches(@"success\s+staging\.payments", changed.Out);
        Assert.Matches(@"success\s+mart\.revenue_by_method", changed.Out);
        // 175.00 and 175.0 are equal: an unchanged row is not rewritten (SPEC §6); 13.49 became 13.5.
        Assert.Equal("(credit_card,175.00,1)\n(pix,13.5,0)", await pipeline.ContentAsync("{mart}.revenue_by_method"));
    }

    [Fact]
    public async Task A_list_var_given_with_var_is_refused_with_exit_code_2()
    {
        await using var pipeline = new IsolatedPipeline(Fixture);

        var run = await pipeline.Engine("run", "--var", "payment_methods=pix");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--var payment_methods: 'payment_methods' is a list in pipeline.yaml, and --var sets text vars only", run.Error);
    }
}
