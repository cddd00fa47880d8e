using Lacrei.Engine.Config;

namespace Lacrei.Engine.Meta;

/// <summary>
/// The CALL of the meta schema's procedure <c>lp_snapshot</c> (0017_snapshots.sql), written here
/// only, with named arguments: keep the versions of the rows waiting in <see cref="StepTables.Rows"/>
/// in the step's snapshot table. The run's time is the procedure's to find (when the run took its
/// lease), so the SQL is the same every run. Answers with a <see cref="MetaAnswer"/>.
/// </summary>
public sealed record SnapshotCall(Project Project, StepConfig Step, SnapshotConfig Snapshot)
{
    public string Sql
    {
        get
        {
            var arguments = new List<(string Name, string Value)>
            {
                ("p_schema", SqlText.Literal(Project.SchemaOf(Step).Name)),
                ("p_table", SqlText.Literal(Step.Table)),
                ("p_keys", SqlText.TextArray(Step.Key)),
                ("p_step", SqlText.Literal(Step.Id.ToString())),
                ("p_rows_table", SqlText.Literal(StepTables.Rows)),
                ("p_strategy", SqlText.Literal(Snapshot.Strategy)),
            };
            if (Snapshot.UpdatedAt is { } updatedAt) arguments.Add(("p_updated_at", SqlText.Literal(updatedAt)));
            // check_cols: all is every column but the key, which the procedure reads from the rows.
            else if (!Snapshot.AllColumns) arguments.Add(("p_check_cols", SqlText.TextArray(Snapshot.CheckCols)));
            arguments.Add(("p_hard_deletes", SqlText.Literal(Snapshot.HardDeletes.ToString().ToLowerInvariant())));
            arguments.Add(("p_step_setting", SqlText.Literal(ForeignWrites.StepSetting)));
            return SqlText.Call($"{Project.MetaSchema.Quoted}.lp_snapshot", arguments);
        }
    }
}
