using System.Text;
using Lacrei.Engine.Config;

namespace Lacrei.Engine.Templating;

/// <summary>
/// Wraps a step's SELECT in the SQL of its materialization (SPEC §6). The rows go to a
/// step-local temporary table, and the engine's procedure in the meta schema moves them into
/// the target: creating it from the SELECT's columns and key on first run, reporting columns
/// that no longer match, and never rewriting an unchanged row.
/// </summary>
public static class MaterializationSql
{
    /// <summary>The step-local table that holds a SELECT's rows; dropped before the step commits.</summary>
    public const string StagingTable = "lp_step_rows";

    public static string Wrap(Project project, StepConfig step, string sql, RunContext run)
    {
        var text = new StringBuilder();
        if (step.Materialize == Materialization.Script)
        {
            text.Append(sql.TrimEnd());
            text.Append('\n');
        }
        else
        {
            var table = project.TableOf(step);
            var keys = step.Key.IsEmpty ? "ARRAY[]::text[]" : $"ARRAY[{string.Join(", ", step.Key.Select(SqlText.Literal))}]";
            text.Append($"-- {step.Id}: {Describe(step, table)}\n");
            text.Append($"CREATE TEMP TABLE {StagingTable} ON COMMIT DROP AS\n");
            text.Append(SqlText.TrimStatement(sql).TrimStart('\n'));
            text.Append("\n;\n");
            var mode = step.Materialize == Materialization.Replace ? "replace" : "upsert";
            var fullRefresh = run.FullRefresh && step.Materialize is Materialization.Replace or Materialization.Incremental;
            text.Append($"CALL {project.MetaSchema.Quoted}.lp_materialize({SqlText.Literal(mode)}, " +
                        $"{SqlText.Literal(project.SchemaOf(step).Name)}, {SqlText.Literal(step.Table)}, {keys}, " +
                        $"{Bool(step.DeleteMissing)}, {Bool(fullRefresh)}, {SqlText.Literal(step.Id.ToString())}, NULL, NULL);\n");
            if (step.Materialize == Materialization.Incremental && step.Cursor is { } cursor)
                text.Append($"INSERT INTO {project.MetaSchema.Quoted}.watermarks (step, value, updated_at)\n" +
                            $"SELECT {SqlText.Literal(step.Id.ToString())}, max({Identifier.Parse(cursor).Quoted})::text, now() FROM {StagingTable}\n" +
                            $"HAVING max({Identifier.Parse(cursor).Quoted}) IS NOT NULL\n" +
                            "ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;\n");
            text.Append($"DROP TABLE {StagingTable};\n");
        }
        text.Append(Comments(project, step));
        return text.ToString();
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
