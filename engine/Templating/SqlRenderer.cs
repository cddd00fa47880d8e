using System.Collections.Immutable;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;
using Lacrei.Engine.Sql;

namespace Lacrei.Engine.Templating;

/// <summary>
/// Renders SQL templates with Scriban in strict mode. Pure: a function of the project, the run
/// context and the files; no database. Unknown names are errors with <c>file(line,col)</c>.
/// </summary>
public sealed class SqlRenderer
{
    private readonly Project _project;
    private readonly RunContext _run;
    private readonly Dictionary<string, StepConfig> _steps;
    private readonly IReadOnlySet<string> _seeds;
    private readonly IReadOnlyDictionary<StepId, Meta.ChangeLogReaders> _readers;
    private readonly Deferral? _deferral;
    private readonly Macros _macros;

    /// <param name="readers">For each step read with <c>changes</c>, the steps that read it and what its log keeps: such a step logs its changes.</param>
    /// <param name="deferral">With <c>--defer</c>: the steps whose <c>ref</c> reads production.</param>
    public SqlRenderer(Project project, RunContext run, IReadOnlySet<string> seeds,
        IReadOnlyDictionary<StepId, Meta.ChangeLogReaders>? readers = null, Deferral? deferral = null)
    {
        _deferral = deferral;
        _project = project;
        _run = run;
        _seeds = seeds;
        _readers = readers ?? new Dictionary<StepId, Meta.ChangeLogReaders>();
        _steps = project.Config.Steps.ToDictionary(s => s.Id.ToString(), s => s);
        _macros = Macros.Load(project.Config.MacrosDir);
        _normal = new(() => new SqlRenderer(project, run with { FullRefresh = false }, seeds, readers, deferral));
    }

    /// <summary>Renders one step's template and wraps it in its materialization.</summary>
    public RenderedStep RenderStep(StepConfig step)
    {
        var rendered = RenderAsRun(step);
        if (!_run.FullRefresh) return rendered;
        // The state a full refresh leaves is a normal run's: recorded under a normal run's hash.
        return rendered with { StateHash = _normal.Value.RenderAsRun(step).Hash };
    }

    /// <summary>The same renderer for a normal run; built once, whichever thread renders first.</summary>
    private readonly Lazy<SqlRenderer> _normal;

    /// <summary>The step as a run sends it: its SQL, then what every kind of step has besides (its tests in one pass, its indexes).</summary>
    private RenderedStep RenderAsRun(StepConfig step) => RenderSql(step) with
    {
        TestsInOnePass = Sql.DataTestSql.OnePass(_project, step, step.Tests, recomputedOnly: false),
        RecomputedTestsInOnePass = step.IsScoped ? Sql.DataTestSql.OnePass(_project, step, step.Tests, recomputedOnly: true) : null,
        IndexSql = MaterializationSql.Indexes(_project, step),
    };

    private RenderedStep RenderSql(StepConfig step)
    {
        if (step.Extract is { } extract)
        {
            if (!_project.Sources.TryGetValue(extract.Source, out var source))
                throw new PipelineException(ErrorKind.Config, extract.Span, $"step '{step.Id}' extracts from unknown source '{extract.Source}'",
                    Suggest.Hint(extract.Source, _project.Sources.Keys.Order(StringComparer.Ordinal).ToList(), "sources"));
            var plan = new Sql.ExtractPlan(_project, step, extract with { Expressions = RenderExpressions(step, extract) }, source)
            {
                Readers = _readers.GetValueOrDefault(step.Id),
            };
            var extractTestRefs = new List<StepReference>();
            return new RenderedStep(step, plan.Describe(_run.FullRefresh) + MaterializationSql.Comments(_project, step), [.. step.DependsOn])
            {
                Extract = plan,
                Tests = step.Tests.Select(test => RenderTest(step, test, extractTestRefs)).ToImmutableArray(),
            };
        }
        var main = RenderFile(step.SqlPath, step);
        var testRefs = new List<StepReference>();
        var tests = step.Tests.Select(test => RenderTest(step, test, testRefs)).ToImmutableArray();
        var materialization = new MaterializationSql(_project, step, _run, _readers);
        if (step.ScopePath is not { } scopePath)
            return new RenderedStep(step, materialization.Wrap(main.Sql), [.. main.Refs, .. step.DependsOn, .. testRefs])
            {
                Tests = tests,
                ReadsSources = main.ReadsSources,
                Sources = [main.Source!],
                UsesPseudonyms = main.UsesPseudonyms,
                Select = step.Materialize == Materialization.Script ? null : main.Sql,
            };

        // Incremental from changes: the scope and the incremental SELECT, and the whole SELECT
        // for when the step cannot go on from where it was (chosen when the step runs).
        var scope = RenderFile(scopePath, step);
        // Both renderings of the SELECT, whatever this run is (main is the one this run sends): what
        // the step reads when it goes on shapes the logs it reads (their columns, the statements of
        // the steps that write them) and its static inputs on every run. A --full-refresh that
        // rendered only the whole SELECT gave the logs other columns, which restarted them on the
        // next normal run and made every reader recompute whole again.
        var goingOn = _run.FullRefresh ? RenderFile(step.SqlPath, step, incremental: true) : main;
        var full = _run.FullRefresh ? main : RenderFile(step.SqlPath, step, incremental: false);
        var reads = goingOn.Changes.Concat(scope.Changes).Concat(full.Changes).ToImmutableArray();
        var producers = reads.Select(r => r.Producer).Distinct().ToImmutableArray();
        return new RenderedStep(step, materialization.WrapScoped(scope.Sql, main.Sql, producers), [.. main.Refs, .. scope.Refs, .. step.DependsOn, .. testRefs])
        {
            Tests = tests,
            ReadsSources = main.ReadsSources || scope.ReadsSources,
            Sources = [main.Source!, scope.Source!, full.Source!],
            FullSql = materialization.WrapFull(full.Sql, producers),
            Select = full.Sql,
            ReadinessSql = materialization.ReadinessQuery(producers),
            ChangeReads = reads,
            UsesPseudonyms = goingOn.UsesPseudonyms || scope.UsesPseudonyms || full.UsesPseudonyms,
            StaticInputs = goingOn.Refs.Concat(scope.Refs).Concat(full.Refs).Concat(step.DependsOn)
                .Select(r => StepId.TryParse(r.Text, out var id) ? id : (StepId?)null).OfType<StepId>()
                .Where(id => !producers.Contains(id) && id.Layer != StepId.SeedsLayer).Distinct().ToImmutableArray(),
        };
    }

    /// <summary>
    /// An extract step's <c>expressions:</c> are templates too (<c>{{ vars.timezone }}</c>): what the
    /// source computes follows the pipeline's settings. They run on the source, so nothing of the
    /// warehouse (<c>pseudonym</c>, a step's table) may appear in them.
    /// </summary>
    private ImmutableDictionary<string, string> RenderExpressions(StepConfig step, ExtractConfig extract)
    {
        var rendered = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var (name, text) in extract.Expressions)
        {
            var display = $"{DisplayPath.Of(_project.Config.FilePath)}({extract.Span.Line},{extract.Span.Column}) expression '{name}'";
            var result = Render(text, display, null, null);
            if (result.UsesPseudonyms || !result.Refs.IsEmpty)
                throw new PipelineException(ErrorKind.Config, extract.Span,
                    $"step '{step.Id}': expression '{name}' runs on the source, where pseudonyms and the pipeline's tables do not exist",
                    "compute it from the source table's columns; pseudonymise in a later step");
            rendered[name] = result.Sql;
        }
        return rendered.ToImmutable();
    }

    /// <summary>A test's query; a custom <c>sql</c> test is a template like a step's SQL (<c>this</c>, <c>ref</c>).</summary>
    private RenderedTest RenderTest(StepConfig step, DataTestConfig test, List<StepReference> refs)
    {
        string? query = null;
        var usesPseudonyms = false;
        if (test.Kind == "sql")
        {
            var (text, display) = test.QueryFile is { } file
                ? (TextFiles.Read(file), DisplayPath.Of(file))
                : (test.Query!, $"{DisplayPath.Of(_project.Config.FilePath)}({test.Span.Line},{test.Span.Column}) test '{test.Name}'");
            var rendered = Render(text, display, step, null);
            query = rendered.Sql;
            usesPseudonyms = rendered.UsesPseudonyms;
            refs.AddRange(rendered.Refs);
        }
        if (test.To is not null) refs.Add(test.To);
        return new RenderedTest(test, Sql.DataTestSql.Offending(_project, step, test, query, readTable: ReadTable))
        {
            RecomputedSql = step.IsScoped && Sql.DataTestSql.IsRowLevel(test)
                ? Sql.DataTestSql.Offending(_project, step, test, query, recomputedOnly: true, readTable: ReadTable) : null,
            PrimaryKeySql = Sql.DataTestSql.PrimaryKeyCheck(_project, step, test),
            UsesPseudonyms = usesPseudonyms,
        };
    }

    /// <summary>The table another step's rows are read from, as <c>ref</c> renders it (with --defer, production's).</summary>
    private string ReadTable(StepConfig other) => _deferral?.TableOf(other) ?? _project.TableOf(other);

    /// <summary>Renders a migration or any other template that is not a step (no <c>this</c>).</summary>
    public string RenderText(string text, string file, IReadOnlyDictionary<string, object>? extra = null) =>
        Render(text, DisplayPath.Of(file), null, extra).Sql;

    private sealed record Rendered(string Sql, ImmutableArray<StepReference> Refs, bool ReadsSources, ImmutableArray<ChangeRead> Changes)
    {
        /// <summary>The template calls <c>pseudonym</c>.</summary>
        public bool UsesPseudonyms { get; init; }

        /// <summary>Set for a template read from a file: where errors in its SQL point back to.</summary>
        public TemplateSource? Source { get; init; }

        /// <summary>Inputs read that the bindings (of a unit test) do not hold.</summary>
        public ImmutableArray<string> Unbound { get; init; } = [];
    }

    /// <summary>
    /// A step's SELECT alone (no materialization, not incremental) with its inputs bound to other
    /// tables: a unit test binds mock inputs. Keys of <paramref name="bindings"/> are the names
    /// the template reads (<c>staging1.x</c>, <c>seeds.y</c>, <see cref="TemplateGlobals.SourceBinding"/>).
    /// </summary>
    public BoundSelect RenderBound(StepConfig step, IReadOnlyDictionary<string, string> bindings)
    {
        var rendered = RenderFile(step.SqlPath, step, incremental: false, bindings);
        return new BoundSelect(rendered.Sql, rendered.Source!, [.. rendered.Unbound]) { UsesPseudonyms = rendered.UsesPseudonyms };
    }

    private Rendered RenderFile(string path, StepConfig step, bool? incremental = null, IReadOnlyDictionary<string, string>? bindings = null)
    {
        var text = TextFiles.Read(path);
        var display = DisplayPath.Of(path);
        if (string.IsNullOrWhiteSpace(text))
            throw new PipelineException(ErrorKind.Config, new Diagnostics.SourceSpan(display, 1, 1), $"step '{step.Id}': SQL file is empty",
                step.Materialize == Materialization.Script ? "write the SQL the step runs" : "write the SELECT whose rows fill the table");
        var rendered = Render(text, display, step, incremental is { } value ? new Dictionary<string, object> { ["is_incremental"] = value } : null, bindings);
        var statements = SqlStatements.Split(rendered.Sql);
        // Sent as is, nothing would fail at the server as "syntax error at end of input", in the wrapper.
        if (Nothing(rendered.Sql, statements) is { } nothing)
        {
            var goal = step.Materialize == Materialization.Script ? "the SQL the step runs" : "the SELECT whose rows fill the table";
            throw new PipelineException(ErrorKind.Config, new Diagnostics.SourceSpan(display, 1, 1), $"step '{step.Id}': the SQL renders {nothing}",
                text.Contains("{{", StringComparison.Ordinal) ? $"every branch of its {{{{ if }}}} must leave {goal}" : $"write {goal}");
        }
        CheckStatements(rendered.Sql, statements, display, step, isScope: path != step.SqlPath);
        return rendered with { Source = new TemplateSource(display, text, rendered.Sql) };
    }

    /// <summary>"empty" or "only comments" when rendered SQL holds no statement; null when it does.</summary>
    private static string? Nothing(string sql, ImmutableArray<SqlStatement> statements) =>
        string.IsNullOrWhiteSpace(sql) ? "empty" : statements.IsEmpty ? "only comments" : null;

    /// <summary>SPEC §6: no transaction control in any step; a step whose rows the engine writes (and a scope) is one SELECT.</summary>
    private static void CheckStatements(string sql, ImmutableArray<SqlStatement> statements, string display, StepConfig step, bool isScope)
    {
        var what = isScope ? $"the scope of step '{step.Id}'" : $"step '{step.Id}' ({step.Materialize.ToString().ToLowerInvariant()})";
        var problem = StepSqlRules.FindTransactionControl(statements, $"step '{step.Id}'")
            ?? (step.Materialize == Materialization.Script && !isScope ? null : StepSqlRules.FindNotOneSelect(statements, what));
        if (problem is null) return;
        throw new PipelineException(ErrorKind.Config, Diagnostics.SourceSpan.At(sql, problem.Offset, display), problem.Message, problem.Hint);
    }

    private Rendered Render(string text, string display, StepConfig? step, IReadOnlyDictionary<string, object>? extra,
        IReadOnlyDictionary<string, string>? bindings = null)
    {
        var template = Template.Parse(text, display);
        if (template.HasErrors)
        {
            throw new PipelineException(template.Messages.Select(m => new Diagnostic(ErrorKind.Config,
                new Diagnostics.SourceSpan(display, m.Span.Start.Line + 1, m.Span.Start.Column + 1),
                $"template syntax: {m.Message}", "Scriban syntax: {{ ref \"layer.step\" }}, {{ schemas.mart }}, {{ vars.name }}")).ToList());
        }
        // Scriban accepts an unclosed final "{{" and renders what precedes it; refuse it instead.
        var open = text.LastIndexOf("{{", StringComparison.Ordinal);
        if (open >= 0 && text.IndexOf("}}", open, StringComparison.Ordinal) < 0)
        {
            var line = text[..open].Count(c => c == '\n') + 1;
            var column = open - (text.LastIndexOf('\n', Math.Max(0, open - 1)) + 1) + 1;
            throw new PipelineException(ErrorKind.Config, new Diagnostics.SourceSpan(display, line, column, 2),
                "template syntax: '{{' is not closed", "end the expression with }}");
        }
        if (step is null && template.Page is { } page && FindThis(page) is { } usedThis)
            throw new PipelineException(ErrorKind.Config,
                new Diagnostics.SourceSpan(display, usedThis.Span.Start.Line + 1, usedThis.Span.Start.Column + 1, 4),
                "'this' is only defined in a step's SQL", "name the table with {{ schemas.x }} instead");
        var globals = new TemplateGlobals(_project, step, display, _run, _steps, _seeds, _deferral) { Bindings = bindings };
        if (extra is not null) foreach (var (key, value) in extra) globals[key] = value;
        var context = new StepTemplateContext(globals);
        try
        {
            _macros.Define(context);
            var sql = template.Render(context);
            return new Rendered(sql, [.. globals.Refs], globals.ReadsSources, [.. globals.ChangeReads]) { Unbound = [.. globals.Unbound], UsesPseudonyms = globals.UsesPseudonyms };
        }
        catch (ScriptRuntimeException e)
        {
            // An error inside a macro is at the macro file's line: each parsed template keeps its file in its spans.
            var span = new Diagnostics.SourceSpan(e.Span.FileName ?? display, e.Span.Start.Line + 1, e.Span.Start.Column + 1,
                Math.Max(1, e.Span.End.Column - e.Span.Start.Column + 1));
            var hint = e is TemplateHintException hinted ? hinted.Hint : HintFor(e.OriginalMessage);
            throw new PipelineException(ErrorKind.Config, span, CleanMessage(e.OriginalMessage), hint);
        }
    }

    /// <summary>The first <c>this</c> in a template, so a template without a step can say where it is.</summary>
    private static ScriptNode? FindThis(ScriptNode node)
    {
        if (node is ScriptThisExpression) return node;
        for (var i = 0; i < node.ChildrenCount; i++)
            if (node.GetChildren(i) is { } child && FindThis(child) is { } found) return found;
        return null;
    }

    private static string CleanMessage(string message) =>
        message.StartsWith("The variable or function `", StringComparison.Ordinal)
            ? $"unknown variable '{message.Split('`')[1]}'"
            : message;

    private string? HintFor(string message) =>
        !message.StartsWith("The variable or function `", StringComparison.Ordinal) ? null
        : _macros.Functions.IsEmpty ? "templates know: schemas, vars, run, ref, source, this"
        : $"templates know: schemas, vars, run, ref, source, this and the macros {string.Join(", ", _macros.Functions.Keys)}";

    /// <summary>
    /// Strict variables, <c>this</c> rendered as the step's table, and of Scriban's built-in
    /// functions only <c>string</c> and <c>array</c> (<see cref="Builtins"/>).
    /// </summary>
    private sealed class StepTemplateContext : TemplateContext, TemplateGlobals.IContext
    {
        private readonly TemplateGlobals _globals;

        public TemplateGlobals Globals => _globals;

        public StepTemplateContext(TemplateGlobals globals) : base(SharedBuiltins)
        {
            _globals = globals;
            StrictVariables = true;
            EnableRelaxedMemberAccess = false;
            LoopLimit = 10_000;
            // Scriban cuts output longer than 1 MiB with "..." by default; SQL is never cut (SPEC §6).
            LimitToString = 0;
            PushGlobal(globals);
        }

        /// <summary>
        /// <c>string.*</c> and <c>array.*</c> compute on the values they are given and nothing else.
        /// The others stay off: <c>date</c> reads the clock (results must depend on <c>run.as_of</c>
        /// only), <c>math.random</c> is random, <c>include</c> reads files (macros are the way to share
        /// SQL), and <c>html</c>, <c>regex</c>, <c>object</c> and <c>timespan</c> are not needed for SQL.
        /// </summary>
        /// <remarks>
        /// Built once per process and shared, read-only, by every template (also rendered in
        /// parallel): Scriban binds each built-in function by reflection, which cost 60 % of the
        /// time <c>engine validate</c> took when every step built its own (issue 21, native build).
        /// </remarks>
        private static readonly ScriptObject SharedBuiltins = Builtins();

        private static ScriptObject Builtins()
        {
            var builtins = new ScriptObject
            {
                ["string"] = new Scriban.Functions.StringFunctions { IsReadOnly = true },
                ["array"] = new Scriban.Functions.ArrayFunctions { IsReadOnly = true },
            };
            builtins.IsReadOnly = true;
            return builtins;
        }

        public override string ObjectToString(object? value, bool nested = false) =>
            ReferenceEquals(value, _globals) ? _globals.ThisTable(CurrentSpan) : base.ObjectToString(value, nested)!;
    }
}
