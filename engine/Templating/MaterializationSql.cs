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
            var mode = step.Materialize == Materialization.Upsert ? "upsert" : "replace";
            var fullRefresh = run.FullRefresh && step.Materialize == Materialization.Replace;
            text.Append($"CALL {project.MetaSchema.Quoted}.lp_materialize({SqlText.Literal(mode)}, " +
                        $"{SqlText.Literal(project.SchemaOf(step).Name)}, {SqlText.Literal(step.Table)}, {keys}, " +
                        $"{Bool(step.DeleteMissing)}, {Bool(fullRefresh)}, {SqlText.Literal(step.Id.ToString())}, NULL, NULL);\n");
            text.Append($"DROP TABLE {StagingTable};\n");
        }
        AppendComments(text, project, step);
        return text.ToString();
    }

    private static string Describe(StepConfig step, string table) => step.Materialize switch
    {
        Materialization.Upsert => $"upsert into {table} by ({string.Join(", ", step.Key)})" +
                                  (step.DeleteMissing ? "; rows the SELECT no longer returns are deleted" : ""),
        _ => $"replace the rows of {table} in this transaction",
    };

    /// <summary>Descriptions become comments on tables the engine manages; a script step writes its own COMMENT.</summary>
    private static void AppendComments(StringBuilder text, Project project, StepConfig step)
    {
        if (step.Materialize == Materialization.Script || (step.Description is null && step.ColumnDescriptions.IsEmpty)) return;
        var table = project.TableOf(step);
        if (step.Description is { } description)
            text.Append($"COMMENT ON TABLE {table} IS {SqlText.Literal(description.Trim())};\n");
        foreach (var (column, comment) in step.ColumnDescriptions.OrderBy(c => c.Key, StringComparer.Ordinal))
            text.Append($"COMMENT ON COLUMN {table}.{Identifier.Parse(column).Quoted} IS {SqlText.Literal(comment.Trim())};\n");
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
