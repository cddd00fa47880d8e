using Lacrei.Engine.Config;

namespace Lacrei.Engine.Templating;

/// <summary>
/// <c>--defer</c> (dbt's slim CI): <c>ref</c> of a step that this run does not build renders the
/// table in the schemas of the state's target (production) instead of the current target's, so
/// a CI run builds only what changed and reads the rest from production.
/// </summary>
/// <param name="Steps">The steps read from production: those not selected.</param>
/// <param name="Schemas">The state's target schemas, by key (<c>staging</c> → <c>shop_staging</c>).</param>
public sealed record Deferral(IReadOnlySet<StepId> Steps, IReadOnlyDictionary<string, Identifier> Schemas)
{
    /// <summary>The production table of a deferred step; null when the step is built by this run.</summary>
    public string? TableOf(StepConfig step) =>
        Steps.Contains(step.Id) && Schemas.TryGetValue(step.SchemaKey, out var schema)
            ? $"{schema.Quoted}.{Identifier.Parse(step.Table).Quoted}"
            : null;
}
