using Lacrei.Engine.Meta;
using System.Collections.Immutable;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Scriban;
using Scriban.Parsing;
using SourceSpan = Scriban.Parsing.SourceSpan;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Lacrei.Engine.Templating;

/// <summary>
/// The names every template sees (SPEC §4): <c>schemas</c>, <c>vars</c>, <c>run</c>,
/// <c>ref</c>, <c>source</c> and <c>this</c>. <c>ref</c> records the references it renders,
/// which become the step's DAG edges. Incremental steps with a <c>scope</c> also see
/// <c>changes</c> (an upstream step's row images since this step last read them) and
/// <c>scope</c> (the keys to recompute).
/// </summary>
internal sealed partial class TemplateGlobals : ScriptObject
{
    private readonly Project _project;
    private readonly StepConfig? _step;
    private readonly string _file;
    private readonly Dictionary<string, StepConfig> _steps;
    private readonly IReadOnlySet<string> _seeds;
    private readonly Deferral? _deferral;

    public TemplateGlobals(Project project, StepConfig? step, string file, RunContext run,
        Dictionary<string, StepConfig> steps, IReadOnlySet<string> seeds, Deferral? deferral = null)
    {
        (_project, _step, _file, _steps, _seeds, _deferral) = (project, step, file, steps, seeds, deferral);

        var schemas = new StrictScriptObject("schemas");
        foreach (var (key, schema) in project.Schemas) schemas[key] = schema.Quoted;
        var vars = new StrictScriptObject("vars");
        foreach (var (key, value) in project.Vars) vars[key] = value;
        foreach (var (key, value) in project.StructuredVars) vars[key] = ScriptValue(value, $"vars.{key}");
        var runObject = new StrictScriptObject("run")
        {
            ["id"] = run.RunId,
            ["as_of"] = run.AsOf.ToString("yyyy-MM-dd"),
            ["full_refresh"] = run.FullRefresh,
        };
        var sources = new StrictScriptObject("sources");
        foreach (var (key, source) in project.Sources) sources[key] = new StrictScriptObject($"sources.{key}") { ["schema"] = source.Schema.Quoted };
        this["schemas"] = schemas;
        this["sources"] = sources;
        this["vars"] = vars;
        this["run"] = runObject;
        // Incremental steps (SPEC §4): `watermark` is the SQL that reads the stored cursor value
        // (text, NULL before the first load), so rendering stays free of database access.
        this["is_incremental"] = step?.Materialize == Materialization.Incremental && !run.FullRefresh;
        this["watermark"] = step is null ? "NULL" : new Watermarks(project.MetaSchema, step.Id).Expression;
        ImportFunctions(step);
    }

    /// <summary>The context a template renders in, through which the shared functions reach its globals.</summary>
    internal interface IContext
    {
        TemplateGlobals Globals { get; }
    }

    /// <summary>
    /// The functions, built once per process and shared by every template (also rendered in
    /// parallel): each template binding its own by reflection took a sixth of a no-op run's CPU in
    /// the native build (issue 21). Each call finds the template's own globals through its context.
    /// </summary>
    private static readonly ScriptObject SharedFunctions = new()
    {
        ["changes"] = new TemplateFunction(["name", "columns"], lastIsList: true, (context, span, a) => Of(context).Changes(span, a[0], a[1..])),
        ["changed"] = new TemplateFunction(["name", "columns"], lastIsList: true, (context, span, a) => Of(context).Changed(span, a[0], a[1..])),
        ["before"] = new TemplateFunction(["name", "columns"], lastIsList: true, (context, span, a) => Of(context).Before(span, a[0], a[1..])),
        ["ref"] = new TemplateFunction(["name"], lastIsList: false, (context, span, a) => Of(context).Ref(span, a[0])),
        ["source"] = new TemplateFunction(["source", "table"], lastIsList: false, (context, span, a) => Of(context).Source(span, a[0], a[1])),
        ["pseudonym"] = new TemplateFunction(["entity", "sourceId"], lastIsList: false, (context, span, a) => Of(context).Pseudonym(span, a[0], a[1])),
    };

    private static TemplateGlobals Of(TemplateContext context) => ((IContext)context).Globals;

    private void ImportFunctions(StepConfig? step)
    {
        if (step?.IsScoped == true)
        {
            this["scope"] = StepTables.Scope;
            Share("changes");
            Share("changed");
            Share("before");
        }
        Share("ref");
        Share("source");
        Share("pseudonym");
    }

    private void Share(string function) => SetValue(function, SharedFunctions[function], readOnly: true);

    /// <summary>A list var as a Scriban array (for loops, <c>array.join</c>), a mapping as an object whose unknown members are errors.</summary>
    private static object ScriptValue(VarValue value, string path) => value switch
    {
        TextVar text => text.Value,
        ListVar list => new ScriptArray(list.Items.Select((item, i) => ScriptValue(item, $"{path}[{i}]"))),
        MapVar map => map.Members.Aggregate(new StrictScriptObject(path), (obj, member) =>
        {
            obj[member.Key] = ScriptValue(member.Value, $"{path}.{member.Key}");
            return obj;
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public List<StepReference> Refs { get; } = [];

    /// <summary>
    /// Unit tests: tables that stand in for inputs (<c>staging1.x</c>, <c>seeds.y</c>, and
    /// <c>source:app.t</c> for a source), by the name the template reads them with. Null when
    /// rendering for a run.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Bindings { get; init; }

    /// <summary>Inputs the template read that <see cref="Bindings"/> does not hold (seeds excepted: they read the loaded seed).</summary>
    public List<string> Unbound { get; } = [];

    /// <summary>Binding key of a source table read with <c>source</c>.</summary>
    public static string SourceBinding(string source, string table) => $"source:{source}.{table}";

    private string Bound(string name, string table, bool mayBeUnbound)
    {
        if (Bindings is null) return table;
        if (Bindings.TryGetValue(name, out var bound)) return bound;
        if (!mayBeUnbound && !Unbound.Contains(name)) Unbound.Add(name);
        return table;
    }

    /// <summary>The change logs the template reads with <c>changes</c>, and the columns besides the key it reads from each.</summary>
    public List<ChangeRead> ChangeReads { get; } = [];

    /// <summary><c>this</c>: Scriban evaluates it to the global object, which renders as the step's table.</summary>
    public string ThisTable(SourceSpan span) => _step is not null
        ? _project.TableOf(_step)
        : throw new ScriptRuntimeException(span, "'this' is only defined in a step's SQL");

    private string Ref(SourceSpan span, string name)
    {
        var location = Location(span, name.Length + 6);
        if (name.StartsWith(StepId.SeedsLayer + ".", StringComparison.Ordinal))
        {
            var seed = name[(StepId.SeedsLayer.Length + 1)..];
            if (!_seeds.Contains(seed))
                throw new TemplateHintException(span, $"unknown seed '{name}'", Suggest.Hint(seed, _seeds.ToList(), "seeds"));
            // Recorded like a step: the seed is a DAG node, and its content is part of the step's inputs.
            Refs.Add(new StepReference(name, location));
            return Bound(name, $"{_project.SeedsSchema.Quoted}.{Identifier.Parse(seed).Quoted}", mayBeUnbound: true);
        }
        if (!_steps.TryGetValue(name, out var target))
            throw new TemplateHintException(span, $"unknown step '{name}' in ref", Suggest.Hint(name, _steps.Keys.Order(StringComparer.Ordinal).ToList(), "steps"));
        if (_step is not null)
        {
            if (target.Id == _step.Id)
                throw new TemplateHintException(span, $"step '{name}' refers to itself", "use {{ this }} for the step's own table");
            if (target.LayerIndex > _step.LayerIndex)
                throw new TemplateHintException(span, $"step '{_step.Id}' reads from '{name}' of a later layer",
                    $"a step may read only from its own or earlier layers; move '{_step.Id.Name}' to layer '{target.Id.Layer}' or later");
        }
        Refs.Add(new StepReference(name, location));
        return Bound(name, _deferral?.TableOf(target) ?? _project.TableOf(target), mayBeUnbound: false);
    }

    /// <summary>
    /// <c>changes "layer.step" "column" …</c>: a relation with the step's key and the named columns
    /// holding, since this step last read its log, their old values for every row the step changed
    /// or removed, and their current values for every key it changed or inserted (<see cref="ReadLog"/>).
    /// </summary>
    private string Changes(SourceSpan span, string name, string[] columns)
    {
        var (table, producer, read) = ReadLog(span, name, columns);
        return new ChangeLogs(_project.MetaSchema).Relation(_step!.Id, producer.Id, table, producer.Key, read.Columns);
    }

    /// <summary>
    /// <c>changed "layer.step" "column" …</c>: as <c>changes</c>, for the rows whose named columns
    /// changed only (inserted, removed, or with another value in one of them): a row the step
    /// rewrote for a column this one does not read is not in it.
    /// </summary>
    private string Changed(SourceSpan span, string name, string[] columns)
    {
        if (columns.Length == 0)
            throw new TemplateHintException(span, $"changed \"{name}\" names no column whose change matters",
                $"name the columns the step reads from it, e.g. changed \"{name}\" \"user_id\"; changes \"{name}\" has every changed row");
        var (table, producer, _) = ReadLog(span, name, columns);
        return new ChangeLogs(_project.MetaSchema).ChangedRelation(_step!.Id, producer.Id, table, producer.Key, [.. columns.Distinct()]);
    }

    /// <summary>
    /// <c>before "layer.step" "column" …</c>: the rows the step changed or removed since this step
    /// last read its log, as they were then (a key inserted since is not in it). With the current
    /// rows of the keys in <c>changes</c>, what a step that adds up the other's rows subtracts and
    /// adds to its own instead of adding everything up again.
    /// </summary>
    private string Before(SourceSpan span, string name, string[] columns)
    {
        var (table, producer, read) = ReadLog(span, name, columns);
        return new ChangeLogs(_project.MetaSchema).BeforeRelation(_step!.Id, producer.Id, table, producer.Key, read.Columns);
    }

    /// <summary>
    /// What <c>changes</c>, <c>changed</c> and <c>before</c> read: the producer's log, with its key and the named
    /// columns. A DAG edge like <c>ref</c>; the upstream step logs its changes because this step
    /// reads them, and its log keeps only those columns (SPEC §9.6), so a sensitive one is refused.
    /// </summary>
    private (string Table, StepConfig Producer, ChangeRead Read) ReadLog(SourceSpan span, string name, string[] columns)
    {
        if (name.StartsWith(StepId.SeedsLayer + ".", StringComparison.Ordinal))
            throw new TemplateHintException(span, $"seed '{name}' has no change log", "read the seed with ref; a changed seed recomputes the whole step");
        var table = Ref(span, name);
        var producer = _steps[name];
        if (producer.Materialize == Materialization.View)
            throw new TemplateHintException(span, $"step '{name}' is a view: it stores no rows, so it has no change log",
                "read it with ref: when what the view reads changes, this step recomputes everything");
        if (producer.Materialize == Materialization.Snapshot)
            throw new TemplateHintException(span, $"step '{name}' is a snapshot: its changes are its history, not a change log",
                "read it with ref (valid_from > … finds the versions since a time); when it writes, this step recomputes everything");
        if (!ChangeLogs.CanTrack(producer))
            throw new TemplateHintException(span, $"step '{name}' has no key, so its changes cannot be tracked",
                "changes reads upsert, replace-with-key, incremental and extract steps");
        foreach (var column in columns)
        {
            if (!Identifier.TryParse(column, out _))
                throw new TemplateHintException(span, $"column '{column}' of changes \"{name}\" is not a valid SQL name", Identifier.Rule);
            if (producer.Sensitive.Contains(column))
                throw new TemplateHintException(span, $"column '{column}' of step '{name}' is sensitive, so its change log does not keep it",
                    "a change log keeps keys and the columns a scope needs to find rows (docs/privacy.md#erasure-and-the-logs); find the rows by a key or a non-sensitive column");
        }
        var read = new ChangeRead(producer.Id, [.. columns.Where(c => !producer.Key.Contains(c)).Distinct().Order(StringComparer.Ordinal)]);
        ChangeReads.Add(read);
        return (table, producer, read);
    }

    private string Source(SourceSpan span, string source, string table)
    {
        if (!_project.Sources.TryGetValue(source, out var resolved))
            throw new TemplateHintException(span, $"unknown source '{source}'", Suggest.Hint(source, _project.Sources.Keys.Order(StringComparer.Ordinal).ToList(), "sources"));
        if (!Identifier.TryParse(table, out var tableName))
            throw new TemplateHintException(span, $"source table '{table}' is not a valid SQL name", Identifier.Rule);
        ReadsSources = true;
        return Bound(SourceBinding(source, table), $"{resolved.Schema.Quoted}.{tableName.Quoted}", mayBeUnbound: false);
    }

    /// <summary>
    /// <c>pseudonym "patient" "users.id"</c>: the keyed pseudonym of a source id (SPEC §9.4), as a
    /// call of the meta schema's function; the key is handed to the step's transaction when it
    /// runs, so rendering stays pure and no key is ever in the SQL.
    /// </summary>
    private string Pseudonym(SourceSpan span, string entity, string sourceId)
    {
        if (_project.Config.PseudonymKey is null)
            throw new TemplateHintException(span, "pseudonym needs a key, and pipeline.yaml names none",
                "add pseudonym_key: NAME_OF_AN_ENVIRONMENT_VARIABLE at the top level of pipeline.yaml");
        if (!EntityName().IsMatch(entity))
            throw new TemplateHintException(span, $"pseudonym entity '{entity}' is not a lower-case name",
                "name what the id identifies, e.g. {{ pseudonym \"patient\" \"users.id\" }}: the entity separates the pseudonyms of different tables");
        if (string.IsNullOrWhiteSpace(sourceId))
            throw new TemplateHintException(span, "pseudonym needs the SQL expression of the id",
                "for example {{ pseudonym \"patient\" \"users.id\" }}");
        UsesPseudonyms = true;
        return new Pseudonyms(_project.MetaSchema).Call(entity, sourceId);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex EntityName();

    /// <summary>Whether the template computes pseudonyms, so its step's transaction needs the key.</summary>
    public bool UsesPseudonyms { get; private set; }

    /// <summary>Whether the template read a source table directly (whose changes the engine cannot see).</summary>
    public bool ReadsSources { get; private set; }

    /// <summary>Where a call was written: the template's file, or the macro's when a macro made the call.</summary>
    private Diagnostics.SourceSpan Location(SourceSpan span, int length) =>
        new(span.FileName ?? _file, span.Start.Line + 1, span.Start.Column + 1, length);
}
