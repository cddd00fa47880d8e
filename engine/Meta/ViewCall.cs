using Lacrei.Engine.Config;

namespace Lacrei.Engine.Meta;

/// <summary>
/// The CALL of the meta schema's procedure <c>lp_view</c> (0016_views.sql), written here only,
/// with named arguments: make the step's view say what the step-local view
/// <see cref="StepTables.View"/> says. Answers with a <see cref="MetaAnswer"/> (0 rows).
/// </summary>
public sealed record ViewCall(Project Project, StepConfig Step)
{
    public string Sql =>
        $"CALL {Project.MetaSchema.Quoted}.lp_view(p_step => {SqlText.Literal(Step.Id.ToString())}, " +
        $"p_target => {SqlText.Literal(Project.TableOf(Step))}, p_definition_of => {SqlText.Literal(StepTables.View)})";
}
