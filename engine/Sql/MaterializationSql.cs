using Lacrei.Engine.Meta;
using System.Collections.Immutable;
using System.Text;
using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Sql;

/// <summary>
/// Wraps a step's SELECT in the SQL of its materialization (SPEC §6). The rows go to a
/// step-local temporary table, and the engine's procedure in the meta schema moves them into
/// the target: creating it from the SELECT's columns and key on first run, reporting columns
/// that no longer match, and never rewriting an unchanged row.
/// </summary>
/// <param name="readers">For every step whose change log is read, who reads it and what it keeps.</param>
public sealed class MaterializationSql(Project project, StepConfig step, RunContext run, IReadOnlyDictionary<StepId, ChangeLogReaders> readers)
{
    private ChangeLogs Logs => new(project.MetaSchema);

    /// <summary>Who reads this step's changes; null when no step does (then it logs none).</summary>
    private ChangeLogReaders? Readers => readers.GetValueOrDefault(step.Id);

    /// <summary>
    /// <c>settings:</c> of the pipeline and of the step (which win), set for the step's transaction
    /// before anything else, and
    /// the name of a step whose table the engine fills, which makes its writes its own
    /// (Meta/ForeignWrites.cs; a script's table is its own business), with the share of its rows
    /// written after which the table is analyzed, when pipeline.yaml sets one (Meta/Statistics.cs).
    /// </summary>
    public static string Settings(Project project, StepConfig step) => string.Concat(project.Config.Settings.SetItems(step.Settings)
        .OrderBy(s => s.Key, StringComparer.Ordinal)
        .Select(s => $"SET LOCAL {s.Key} = {SqlText.Literal(s.Value)};\n"))
        + (step.Materialize == Materialization.Script && step.Extract is null ? "" : ForeignWrites.SetStep(step.Id) + Statistics.SetAnalyzeAfter(project.Config));

    /// <summary>The step's SQL as run: a script as written, a SELECT moved into its table.</summary>
    public string Wrap(string sql)
    {
        var text = new StringBuilder(Settings(project, step));
        if (step.Materialize == Materialization.Script)
        {
            text.Append(sql.TrimEnd());
            text.Append('\n');
        }
        else if (step.Materialize == Materialization.View)
            AppendView(text, sql);
        else if (step.Snapshot is { } snapshot)
            AppendSnapshot(text, sql, snapshot);
        else
        {
            var table = project.TableOf(step);
            text.Append($"-- {step.Id}: {Describe(step, table)}\n");
            AppendRows(text, sql);
            var fullRefresh = run.FullRefresh && step.Materialize is Materialization.Replace or Materialization.Incremental;
            AppendCall(text, step.Materialize == Materialization.Replace ? MaterializeMode.Replace : MaterializeMode.Upsert, step.DeleteMissing, fullRefresh, scoped: false);
            if (step.Materialize == Materialization.Incremental && step.Cursor is { } cursor)
                text.Append(new Watermarks(project.MetaSchema, step.Id).SetFromRows(Identifier.Parse(cursor).Quoted));
            text.Append($"DROP TABLE {StepTables.Rows};\n");
        }
        text.Append(Comments(project, step));
        return text.ToString();
    }

    /// <summary>
    /// An incremental step with a scope, on a run that goes on from the last one: the scope's keys,
    /// the SELECT's rows for them, an upsert that also deletes the keys in scope the SELECT no
    /// longer returns, and the change logs read up to here.
    /// </summary>
    public string WrapScoped(string scopeSql, string sql, ImmutableArray<StepId> producers)
    {
        if (run.FullRefresh) return WrapFull(sql, producers);
        var text = new StringBuilder(Settings(project, step));
        text.Append($"-- {step.Id}: incremental upsert into {project.TableOf(step)} by ({string.Join(", ", step.Key)}) of the keys its scope selects from the changes of {string.Join(", ", producers)}\n");
        text.Append($"-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)\n");
        text.Append($"CREATE TEMP TABLE {StepTables.Scope} ON COMMIT DROP AS\n");
        text.Append(SqlText.TrimStatement(scopeSql).TrimStart('\n'));
        text.Append($"\n;\nANALYZE {StepTables.Scope};\n");
        AppendRows(text, sql);
        AppendCall(text, MaterializeMode.Upsert, deleteMissing: false, fullRefresh: false, scoped: true);
        AppendCursors(text, producers);
        // The recomputed rows stay until commit: the step's row-level data tests look at those only.
        text.Append($"DROP TABLE {StepTables.Scope};\n");
        text.Append(Comments(project, step));
        return text.ToString();
    }

    /// <summary>An incremental step with a scope, recomputed whole: an upsert of everything that deletes what is gone.</summary>
    public string WrapFull(string sql, ImmutableArray<StepId> producers)
    {
        var text = new StringBuilder(Settings(project, step));
        text.Append($"-- {step.Id}: upsert of the whole SELECT into {project.TableOf(step)} by ({string.Join(", ", step.Key)}); rows it no longer returns are deleted\n");
        AppendRows(text, sql);
        AppendCall(text, MaterializeMode.Upsert, deleteMissing: true, fullRefresh: run.FullRefresh, scoped: false);
        AppendCursors(text, producers);
        text.Append($"DROP TABLE {StepTables.Rows};\n");
        text.Append(Comments(project, step));
        return text.ToString();
    }

    /// <summary>Whether a scoped step can go on from its last run (see <see cref="ChangeLogs.ReadinessQuery"/>).</summary>
    public string ReadinessQuery(ImmutableArray<StepId> producers) => Logs.ReadinessQuery(project.TableOf(step), step.Id, producers);

    /// <summary>
    /// A view: the SELECT as a step-local temporary view first (an error in it points at the
    /// template), then lp_view gives the step's view that definition (0016_views.sql).
    /// </summary>
    private void AppendView(StringBuilder text, string sql)
    {
        text.Append($"-- {step.Id}: view {project.TableOf(step)} (CREATE OR REPLACE VIEW; when its columns change, it and the views on it are created again, never dropped with CASCADE)\n");
        text.Append($"CREATE TEMP VIEW {StepTables.View} AS\n");
        text.Append(SqlText.TrimStatement(sql).TrimStart('\n'));
        text.Append("\n;\n");
        text.Append(new ViewCall(project, step).Sql).Append(";\n");
        text.Append($"DROP VIEW {StepTables.View};\n");
    }

    /// <summary>
    /// A snapshot: the rows as every step's, then lp_snapshot keeps their versions (0017_snapshots.sql).
    /// The same SQL under --full-refresh: a snapshot's history cannot be computed again, so it is never rebuilt.
    /// </summary>
    private void AppendSnapshot(StringBuilder text, string sql, SnapshotConfig snapshot)
    {
        var changed = snapshot.UpdatedAt is { } updatedAt ? $"{updatedAt} grew"
            : snapshot.AllColumns ? "a column but the key changed" : $"{string.Join(", ", snapshot.CheckCols)} changed";
        text.Append($"-- {step.Id}: snapshot into {project.TableOf(step)} by ({string.Join(", ", step.Key)}): a new version when {changed}; " +
                    $"vanished keys: {snapshot.HardDeletes.ToString().ToLowerInvariant()} (never rebuilt, not even by --full-refresh)\n");
        AppendRows(text, sql);
        text.Append(new SnapshotCall(project, step, snapshot).Sql).Append(";\n");
        text.Append($"DROP TABLE {StepTables.Rows};\n");
    }

    private void AppendRows(StringBuilder text, string sql)
    {
        text.Append($"CREATE TEMP TABLE {StepTables.Rows} ON COMMIT DROP AS\n");
        text.Append(SqlText.TrimStatement(sql).TrimStart('\n'));
        text.Append("\n;\n");
        if (step.Contract) text.Append(ContractSql.Check(step));
    }

    private void AppendCall(StringBuilder text, MaterializeMode mode, bool deleteMissing, bool fullRefresh, bool scoped)
    {
        // A full refresh restarts a tracked step's log rather than logging every row it rewrites (ChangeLogs.Restart).
        var restart = run.FullRefresh && Readers is not null;
        if (Readers is { } tracked)
            text.Append(Logs.KeepColumns(step.Id, tracked.Columns)).Append(";\n")
                .Append(restart ? Logs.Restart(step.Id, step.Key) : Logs.ForgetConsumed(step.Id, tracked.Consumers)).Append(";\n");
        var call = new MaterializeCall(project, step, mode, step.Key)
        {
            DeleteMissing = deleteMissing, FullRefresh = fullRefresh, Track = Readers is not null && !restart, Scoped = scoped,
        };
        text.Append(call.Sql).Append(";\n");
    }

    /// <summary>
    /// <c>indexes:</c>, sent once the step has committed, in a transaction of their own while the
    /// steps after it go on (<see cref="Execution.StepExecutor"/>): built when the engine has just
    /// created (or a full refresh recreated) the table, a catalog lookup without a lock on later
    /// runs (<see cref="CatalogCalls"/>). They serve later runs' scopes, not the steps of this one,
    /// and building them inside the step kept its readers waiting (at 1,000,000 appointments, 2.3 s
    /// of staging 2's appointments). One that is not built (the run was stopped) is built by the
    /// step's next run. Null when the step declares none.
    /// </summary>
    public static string? Indexes(Project project, StepConfig step) => step.Indexes.IsEmpty ? null : string.Concat(step.Indexes.Select(columns =>
        CatalogCalls.Index(project.MetaSchema, project.TableOf(step), RelationNames.Index(step.Table, columns), columns)));

    /// <summary>The change logs this step read are read up to here (or to their restart), with its rows; what all their readers read goes.</summary>
    private void AppendCursors(StringBuilder text, ImmutableArray<StepId> producers)
    {
        if (!producers.IsEmpty) text.Append(Logs.MoveCursors(step.Id, producers.ToDictionary(p => p, p => readers.GetValueOrDefault(p) ?? new ChangeLogReaders([step.Id], []))));
    }

    private static string Describe(StepConfig step, string table) => step.Materialize switch
    {
        Materialization.Incremental => $"incremental upsert into {table} by ({string.Join(", ", step.Key)}), watermark on {step.Cursor}",
        Materialization.Upsert => $"upsert into {table} by ({string.Join(", ", step.Key)})" +
                                  (step.DeleteMissing ? "; rows the SELECT no longer returns are deleted" : ""),
        _ => $"replace the rows of {table} in this transaction",
    };

    /// <summary>Descriptions become comments on tables the engine manages; a script step writes its own COMMENT.</summary>
    public static string Comments(Project project, StepConfig step)
    {
        if (step.Materialize == Materialization.Script || (step.Description is null && step.ColumnDescriptions.IsEmpty)) return "";
        return CatalogCalls.Comments(project.MetaSchema, step.Materialize == Materialization.View ? "VIEW" : "TABLE", project.TableOf(step),
            step.Description?.Trim(), [.. step.ColumnDescriptions.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value.Trim()))]);
    }
}
