using Lacrei.Engine.Config;

namespace Lacrei.Engine.Execution;

/// <summary>Live progress for humans, kept apart from the logs (STYLE.md).</summary>
public interface IRunProgress
{
    void RunStarted(string runId, int steps);
    void StepStarted(StepId step);
    void StepFinished(StepResult result);

    public static IRunProgress None { get; } = new NoProgress();

    private sealed class NoProgress : IRunProgress
    {
        public void RunStarted(string runId, int steps) { }
        public void StepStarted(StepId step) { }
        public void StepFinished(StepResult result) { }
    }
}
