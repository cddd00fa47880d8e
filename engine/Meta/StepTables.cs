namespace Lacrei.Engine.Meta;

/// <summary>
/// The step-local temporary tables that carry rows between the statements of one step (all
/// <c>ON COMMIT DROP</c>). Each name exists here once: the rendered SQL creates them and passes
/// them to the meta schema's procedure by name.
/// </summary>
public static class StepTables
{
    /// <summary>The rows of a step's SELECT (or an extract step's copied rows) before they reach its table.</summary>
    public const string Rows = "lp_step_rows";

    /// <summary>The keys an incremental step with a scope recomputes (<c>{{ scope }}</c> in templates).</summary>
    public const string Scope = "lp_scope";

    /// <summary>An empty table with a contract's declared columns, so PostgreSQL spells their types as it spells the SELECT's.</summary>
    public const string Contract = "lp_contract";

    /// <summary>A view step's SELECT as a temporary view, whose definition lp_view gives the step's view (0016_views.sql).</summary>
    public const string View = "lp_step_view";

    /// <summary>Keys of soft-deleted rows among an extract step's copied rows.</summary>
    public const string DeletedKeys = "lp_deleted_keys";

    /// <summary>Every key the source has (an extract step's hard-delete reconciliation).</summary>
    public const string SourceKeys = "lp_source_keys";
}
