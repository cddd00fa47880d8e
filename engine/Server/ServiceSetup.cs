using Lacrei.Engine.Config;
using Lacrei.Engine.Database;
using Lacrei.Engine.Execution;
using Lacrei.Engine.Templating;
using Serilog;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Server;

/// <summary>
/// What <c>engine serve</c> hands the service: how to load the pipeline and build a run (again
/// for every run, so an edited pipeline is picked up without a restart), the run options that
/// every HTTP run shares, the database, the logger and the checked configuration.
/// </summary>
internal sealed record ServiceSetup(
    Project Project,
    Func<Project> LoadProject,
    Func<Project, string, Workspace> BuildWorkspace,
    RunRequest Defaults,
    ConnectionSettings Connection,
    Func<string, string?> Environment,
    ILogger Log,
    ServiceConfig Config,
    IReadOnlyList<string> Urls)
{
    /// <summary>How long a trigger waits for its run to take the lock and start before answering 202 anyway.</summary>
    public TimeSpan StartWait { get; init; } = TimeSpan.FromSeconds(10);
}
