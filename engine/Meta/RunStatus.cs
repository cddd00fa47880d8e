namespace Lacrei.Engine.Meta;

/// <summary>A run's state in the run log: running until it ends, then how it ended.</summary>
public enum RunStatus { Running, Success, Partial, Failed, Interrupted, Cancelled }

/// <summary>What happened to one step. Unchanged: skipped because neither its SQL nor anything it reads changed since it last ran.</summary>
public enum StepStatus { Success, Failed, Skipped, Unchanged }

/// <summary>Statuses as the run log, the JSON result and people read them: the lowercase name.</summary>
public static class StatusText
{
    public static string Text(this RunStatus status) => status.ToString().ToLowerInvariant();

    public static string Text(this StepStatus status) => status.ToString().ToLowerInvariant();

    public static RunStatus ParseRun(string text) => Enum.Parse<RunStatus>(text, ignoreCase: true);

    public static StepStatus ParseStep(string text) => Enum.Parse<StepStatus>(text, ignoreCase: true);
}
