using System.Runtime.InteropServices;
using Lacrei.Engine.Cli;
using Lacrei.Engine.Diagnostics;

// SPEC §8, issue 8: Ctrl-C ends with 130 and SIGTERM with 143 (128 + the signal number), as shells
// and schedulers expect. System.CommandLine cancels the command on both and the command answers
// 130; these handlers only note which signal came and leave the cancelling to System.CommandLine.
// Its own handler may run first and wait for the command to end, so ours may note the signal just
// after the command returned: hence the short wait below, only on an interrupted exit.
var received = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => received.TrySetResult(context.Signal));
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => received.TrySetResult(context.Signal));

// The composition root: everything is wired in CliApp; this only connects it to the process.
var code = await new CliApp(CliEnvironment.FromProcess()).RunAsync(args);
if (code != ExitCodes.Interrupted) return code;
try
{
    return await received.Task.WaitAsync(TimeSpan.FromSeconds(1)) == PosixSignal.SIGTERM ? 143 : code;
}
catch (TimeoutException)
{
    return code;
}
