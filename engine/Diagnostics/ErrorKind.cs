namespace Lacrei.Engine.Diagnostics;

/// <summary>Why a run could not start; each kind maps to one exit code (SPEC §8).</summary>
public enum ErrorKind
{
    /// <summary>Bad command-line usage: exit 2.</summary>
    Usage,
    /// <summary>pipeline.yaml, a SQL file or a template is wrong: exit 2.</summary>
    Config,
    /// <summary>A migration could not be applied or was edited after it ran: exit 2.</summary>
    Migration,
    /// <summary>The database could not be reached or refused us: exit 2.</summary>
    Connection,
    /// <summary>Another run holds the target's lock: exit 3.</summary>
    Locked,
}
