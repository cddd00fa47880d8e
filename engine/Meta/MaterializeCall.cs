using Lacrei.Engine.Config;

namespace Lacrei.Engine.Meta;

/// <summary>How <c>lp_materialize</c> treats rows the step no longer returns: replace deletes them, upsert keeps them.</summary>
public enum MaterializeMode { Upsert, Replace }

/// <summary>
/// The CALL of the meta schema's procedure <c>lp_materialize</c> (0002_materialize.sql), written
/// here only, with named arguments: each value in the rendered SQL says which parameter it is.
/// The step's rows wait in <see cref="StepTables.Rows"/>; the procedure answers with a
/// <see cref="MetaAnswer"/>.
/// </summary>
public sealed record MaterializeCall(Project Project, StepConfig Step, MaterializeMode Mode, IReadOnlyList<string> Keys)
{
    /// <summary>Upsert: delete target rows whose key the step's rows no longer have.</summary>
    public bool DeleteMissing { get; init; }

    /// <summary>
    /// <c>--full-refresh</c>: the rows are the whole table. Rewritten in place when its columns and
    /// key are unchanged; else built anew and swapped in, keeping dependent views, grants and
    /// comments (0011_rebuild.sql).
    /// </summary>
    public bool FullRefresh { get; init; }

    /// <summary>Log row images, because incremental steps read this one with <c>changes</c>.</summary>
    public bool Track { get; init; }

    /// <summary>Incremental with a scope: target rows whose key is in <see cref="StepTables.Scope"/> and not among the rows are deleted.</summary>
    public bool Scoped { get; init; }

    public string Sql
    {
        get
        {
            var keys = Keys.Count == 0 ? "ARRAY[]::text[]" : $"ARRAY[{string.Join(", ", Keys.Select(SqlText.Literal))}]";
            var arguments = new List<(string Name, string Value)>
            {
                ("p_mode", SqlText.Literal(Mode.ToString().ToLowerInvariant())),
                ("p_schema", SqlText.Literal(Project.SchemaOf(Step).Name)),
                ("p_table", SqlText.Literal(Step.Table)),
                ("p_keys", keys),
                ("p_step", SqlText.Literal(Step.Id.ToString())),
                ("p_rows_table", SqlText.Literal(StepTables.Rows)),
                ("p_delete_missing", Bool(DeleteMissing)),
                ("p_full_refresh", Bool(FullRefresh)),
                ("p_track", Bool(Track)),
            };
            if (Scoped) arguments.Add(("p_scope_table", SqlText.Literal(StepTables.Scope)));
            arguments.Add(("p_step_setting", SqlText.Literal(ForeignWrites.StepSetting)));
            if (Step.OnSchemaChange != OnSchemaChange.Fail)
                arguments.Add(("p_on_schema_change", SqlText.Literal(Step.OnSchemaChange == OnSchemaChange.SyncAllColumns ? "sync_all_columns" : "append_new_columns")));
            if (Step.TableFillfactor is { } fillfactor) arguments.Add(("p_fillfactor", fillfactor.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return SqlText.Call($"{Project.MetaSchema.Quoted}.lp_materialize", arguments);
        }
    }

    internal static string Bool(bool value) => value ? "true" : "false";
}
