namespace Lacrei.Engine.Diagnostics;

/// <summary>The process's exit codes (SPEC §8), so that shells and schedulers can tell failures apart.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int StepFailed = 1;
    public const int UsageOrConfig = 2;
    public const int Locked = 3;

    /// <summary>
    /// A bug in the engine (EX_SOFTWARE from sysexits.h), kept apart from 1 so that a caller can
    /// tell a crash, which needs a bug report, from a step that failed on its SQL or its data.
    /// </summary>
    public const int InternalError = 70;

    public const int Interrupted = 130;

    public static int For(ErrorKind kind) => kind == ErrorKind.Locked ? Locked : UsageOrConfig;
}
