using Lacrei.Engine.Cli;

// The composition root: everything is wired in CliApp; this only connects it to the process.
return await new CliApp(CliEnvironment.FromProcess()).RunAsync(args);
