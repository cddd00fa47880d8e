using Lacrei.Engine.Config;

namespace Lacrei.Engine.Meta;

/// <summary>
/// Writes to a step's table by anything but the step itself (0009_foreign_writes.sql): the step's
/// SQL names itself in a session setting before it writes, and a trigger counts every write made
/// under another name (or none), so the next run recomputes the step (SPEC §6).
/// </summary>
public static class ForeignWrites
{
    /// <summary>The setting a step's transaction sets to its id (SET LOCAL), passed to the trigger by lp_materialize.</summary>
    public const string StepSetting = "lacrei_pipeline.step";

    /// <summary>The statement that makes the step's own writes its own.</summary>
    public static string SetStep(StepId step) => $"SET LOCAL {StepSetting} = {SqlText.Literal(step.ToString())};\n";
}
