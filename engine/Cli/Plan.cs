using Lacrei.Engine.Config;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Graph;
using Lacrei.Engine.State;

namespace Lacrei.Engine.Cli;

/// <summary>One selected step of a plan, with the forecast of whether a run would skip it.</summary>
internal sealed record PlannedStep(StepId Step, SkipPrediction Skip);

/// <summary>A node that differs from the state, what it means downstream, and the steps downstream.</summary>
internal sealed record PlannedChange(NodeChange Change, Classification? Classification, IReadOnlyList<StepId> Downstream);

/// <summary>What <c>--state</c> found: the state's target, the changes, and with <c>--defer</c> the steps read from the state's target.</summary>
internal sealed record PlanState(string Dir, Manifest Manifest, IReadOnlyList<PlannedChange> Changes, IReadOnlyList<StepId>? Deferred);

/// <summary><c>engine plan</c>'s result, printed as text or as JSON (docs/schemas/plan.schema.json).</summary>
internal sealed record Plan(Workspace Workspace, string Selection, IReadOnlyList<PlannedStep> Steps, PlanState? State);
