using Lacrei.Engine.Config;

namespace Lacrei.Engine.Graph;

/// <summary>
/// What <c>--state DIR</c> found against the project now (dbt's slim CI): the nodes whose SQL,
/// configuration or seed content differ from the state's manifest, and the steps it does not
/// have. Seeds may be among <see cref="Modified"/>, so <c>state:modified+</c> reaches their readers.
/// </summary>
public sealed record StateSets(IReadOnlySet<StepId> Modified, IReadOnlySet<StepId> New)
{
    /// <summary>Selector terms that read the state start with this.</summary>
    public const string Prefix = "state:";
}
