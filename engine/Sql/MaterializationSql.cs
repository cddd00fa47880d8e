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
public sealed class MaterializationSql(Project project, StepConfig step, RunContext run, ImmutableArray<StepId> consumers)
{
    private string Meta => project.MetaSchema.Quoted;
    private string StepLiteral => SqlText.Literal(step.Id.ToString());

    /// <summary><c>settings:</c> of the pipeline, set for the step's transaction before anything else.</summary>
    public static string Settings(Project project) => string.Concat(project.Config.Settings.OrderBy(s => s.Key, StringComparer.Ordinal)
        .Select(s => $"SET LOCAL {s.Key} = {SqlText.Literal(s.Value)};\n"));

    /// <summary>The step's SQL as run: a script as written, a SELECT moved into its table.</summary>
    public string Wrap(string sql)
    {
        var text = new StringBuilder(Settings(project));
        if (step.Materialize == Materialization.Script)
        {
            text.Append(sql.TrimEnd());
            text.Append('\n');
        }
        else
        {
            var table = project.TableOf(step);
            text.Append($"-- {step.Id}: {Describe(step, table)}\n");
            AppendRows(text, sql);
            var fullRefresh = run.FullRefresh && step.Materialize is Materialization.Replace or Materialization.Incremental;
            AppendCall(text, step.Materialize == Materialization.Replace ? "replace" : "upsert", step.DeleteMissing, fullRefresh, scoped: false);
            if (step.Materialize == Materialization.Incremental && step.Cursor is { } cursor)
                text.Append($"INSERT INTO {Meta}.watermarks (step, value, updated_at)\n" +
                            $"SELECT {StepLiteral}, max({Identifier.Parse(cursor).Quoted})::text, now() FROM {StepTables.Rows}\n" +
                            $"HAVING max({Identifier.Parse(cursor).Quoted}) IS NOT NULL\n" +
                            "ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;\n");
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
        var text = new StringBuilder(Settings(project));
        text.Append($"-- {step.Id}: incremental upsert into {project.TableOf(step)} by ({string.Join(", ", step.Key)}) of the keys its scope selects from the changes of {string.Join(", ", producers)}\n");
        text.Append($"-- (when the table is new, a change log restarted, or its SQL or other inputs changed, the whole SELECT runs instead: render --full-refresh shows it)\n");
        text.Append($"CREATE TEMP TABLE {StepTables.Scope} ON COMMIT DROP AS\n");
        text.Append(SqlText.TrimStatement(scopeSql).TrimStart('\n'));
        text.Append($"\n;\nANALYZE {StepTables.Scope};\n");
        AppendRows(text, sql);
        AppendCall(text, "upsert", deleteMissing: false, fullRefresh: false, scoped: true);
        AppendCursors(text, producers);
        // The recomputed rows stay until commit: the step's row-level data tests look at those only.
        text.Append($"DROP TABLE {StepTables.Scope};\n");
        text.Append(Comments(project, step));
        return text.ToString();
    }

    /// <summary>An incremental step with a scope, recomputed whole: an upsert of everything that deletes what is gone.</summary>
    public string WrapFull(string sql, ImmutableArray<StepId> producers)
    {
        var text = new StringBuilder(Settings(project));
        text.Append($"-- {step.Id}: upsert of the whole SELECT into {project.TableOf(step)} by ({string.Join(", ", step.Key)}); rows it no longer returns are deleted\n");
        AppendRows(text, sql);
        AppendCall(text, "upsert", deleteMissing: true, fullRefresh: run.FullRefresh, scoped: false);
        AppendCursors(text, producers);
        text.Append($"DROP TABLE {StepTables.Rows};\n");
        text.Append(Comments(project, step));
        return text.ToString();
    }

    /// <summary>
    /// Whether a scoped step can go on from its last run: its table exists and, for every log it
    /// reads, the log is complete since the step last read it.
    /// </summary>
    public string ReadinessQuery(ImmutableArray<StepId> producers) =>
        $"SELECT to_regclass({SqlText.Literal(project.TableOf(step))}) IS NOT NULL AND NOT EXISTS (\n" +
        $"    SELECT 1 FROM unnest({TextArray(producers)}) AS p(step)\n" +
        $"    LEFT JOIN {Meta}.change_logs AS l ON l.step = p.step\n" +
        $"    LEFT JOIN {Meta}.change_cursors AS k ON k.consumer = {StepLiteral} AND k.producer = p.step\n" +
        "    WHERE l.start_seq IS NULL OR k.consumed IS NULL OR k.consumed < l.start_seq)";

    private void AppendRows(StringBuilder text, string sql)
    {
        text.Append($"CREATE TEMP TABLE {StepTables.Rows} ON COMMIT DROP AS\n");
        text.Append(SqlText.TrimStatement(sql).TrimStart('\n'));
        text.Append("\n;\n");
    }

    private void AppendCall(StringBuilder text, string mode, bool deleteMissing, bool fullRefresh, bool scoped)
    {
        var keys = step.Key.IsEmpty ? "ARRAY[]::text[]" : $"ARRAY[{string.Join(", ", step.Key.Select(SqlText.Literal))}]";
        if (!consumers.IsEmpty) text.Append(ForgetConsumedChanges(project, step.Id, consumers)).Append(";\n");
        text.Append($"CALL {Meta}.lp_materialize({SqlText.Literal(mode)}, {SqlText.Literal(project.SchemaOf(step).Name)}, {SqlText.Literal(step.Table)}, " +
                    $"{keys}, {Bool(deleteMissing)}, {Bool(fullRefresh)}, {StepLiteral}, {Bool(!consumers.IsEmpty)}, {Bool(scoped)}, NULL, NULL);\n");
        text.Append(Indexes(project, step));
    }

    /// <summary>
    /// <c>indexes:</c> as CREATE INDEX IF NOT EXISTS after the table is filled: built once when the
    /// engine creates (or a full refresh recreates) the table, a catalog lookup on later runs.
    /// </summary>
    public static string Indexes(Project project, StepConfig step) => string.Concat(step.Indexes.Select(columns =>
        $"CREATE INDEX IF NOT EXISTS {Identifier.Parse(RelationNames.Index(step.Table, columns)).Quoted} ON {project.TableOf(step)} " +
        $"({string.Join(", ", columns.Select(c => Identifier.Parse(c).Quoted))});\n"));

    /// <summary>The change logs this step read are read up to here (or to their restart), with its rows.</summary>
    private void AppendCursors(StringBuilder text, ImmutableArray<StepId> producers)
    {
        if (producers.IsEmpty) return;
        text.Append($"INSERT INTO {Meta}.change_cursors (consumer, producer, consumed)\n" +
                    $"SELECT {StepLiteral}, p.step, greatest((SELECT max(c.seq) FROM {Meta}.changes AS c WHERE c.step = p.step), l.start_seq, 0)\n" +
                    $"FROM unnest({TextArray(producers)}) AS p(step) LEFT JOIN {Meta}.change_logs AS l ON l.step = p.step\n" +
                    "ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;\n");
    }

    /// <summary>A tracked step first drops the part of its log that every step reading it has read.</summary>
    public static string ForgetConsumedChanges(Project project, StepId producer, ImmutableArray<StepId> consumers) =>
        $"DELETE FROM {project.MetaSchema.Quoted}.changes AS c WHERE c.step = {SqlText.Literal(producer.ToString())} AND c.seq <= " +
        $"(SELECT min(k.consumed) FROM {project.MetaSchema.Quoted}.change_cursors AS k WHERE k.producer = {SqlText.Literal(producer.ToString())} " +
        $"AND k.consumer = ANY ({TextArray(consumers)}) HAVING count(*) = {consumers.Length})";

    private static string TextArray(IEnumerable<StepId> steps) => $"ARRAY[{string.Join(", ", steps.Select(s => SqlText.Literal(s.ToString())))}]::text[]";

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
        var text = new StringBuilder();
        if (step.Materialize == Materialization.Script || (step.Description is null && step.ColumnDescriptions.IsEmpty)) return "";
        var table = project.TableOf(step);
        if (step.Description is { } description)
            text.Append($"COMMENT ON TABLE {table} IS {SqlText.Literal(description.Trim())};\n");
        foreach (var (column, comment) in step.ColumnDescriptions.OrderBy(c => c.Key, StringComparer.Ordinal))
            text.Append($"COMMENT ON COLUMN {table}.{Identifier.Parse(column).Quoted} IS {SqlText.Literal(comment.Trim())};\n");
        return text.ToString();
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
