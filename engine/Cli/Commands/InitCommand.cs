using System.CommandLine;
using System.Text;
using Lacrei.Engine.Cli.Snapshots;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Graph;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine init [DIR]</c> (SPEC §8): a small working pipeline (a seed, a staging step, a mart,
/// data tests, approved snapshots) that <c>engine run</c> runs and <c>engine render --check</c> accepts.
/// </summary>
internal static partial class InitCommand
{
    public static Command Create(CliApp app)
    {
        var dirArgument = new Argument<string?>("DIR") { Description = "The folder to create it in (default: the current folder); must be new or empty", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("init", "Create a small working pipeline to start from: pipeline.yaml, a seed, a staging step, a mart, tests, snapshots/")
            { dirArgument };
        app.SetAction(command, async (context, ct) =>
        {
            var dir = Path.GetFullPath(Path.Combine(context.Environment.CurrentDirectory, context.Parse.GetValue(dirArgument) ?? "."));
            if (File.Exists(dir))
                throw new PipelineException(ErrorKind.Usage, null, $"{DisplayPath.Of(dir)} is a file, not a folder", "name a new folder: engine init my_pipeline");
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
                throw new PipelineException(ErrorKind.Usage, null, $"{DisplayPath.Of(dir)} is not empty: engine init writes only into a new or empty folder",
                    "name a new folder: engine init my_pipeline");

            var name = Scaffold.NameFor(Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar)));
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            foreach (var (relative, text) in Scaffold.Files(name))
            {
                var path = Path.Combine(dir, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, text, utf8, ct);
            }

            // The snapshots are approved as `render --approve` would, so `render --check` passes from the start.
            var project = Project.Resolve(PipelineLoader.Load(Path.Combine(dir, "pipeline.yaml")), new ProjectOptions());
            var workspace = Workspace.Build(project, new RunContext(SnapshotFiles.RunId, RunContext.Today(project.Vars.GetValueOrDefault("timezone"))));
            var snapshots = SnapshotFiles.Of(workspace, workspace.Selector.Select(new Selector.Selection()), wholePipeline: true);
            var review = new SnapshotReview(SnapshotFiles.Dir(project.Config), snapshots, judgeOrphans: true);
            review.Approve(review.Differences());

            var shown = DisplayPath.Of(dir);
            await context.Out.WriteLineAsync($"created pipeline '{name}' in {shown}:");
            foreach (var file in Scaffold.Files(name).Select(f => f.Path).Concat(snapshots.Select(s => $"{SnapshotFiles.Folder}/{s.Path}")))
                await context.Out.WriteLineAsync($"  {file}");
            await context.Out.WriteLineAsync("next:");
            if (shown != ".") await context.Out.WriteLineAsync($"  cd {(SafeWord().IsMatch(shown) ? shown : $"'{shown.Replace("'", "'\\''")}'")}");
            await context.Out.WriteLineAsync("  engine validate           # no database needed");
            await context.Out.WriteLineAsync("  engine run                # against DATABASE_URL (or PG* variables, or --connection)");
            await context.Out.WriteLineAsync("  engine render --check     # the SQL against snapshots/; engine render --approve after review");
            return ExitCodes.Success;
        });
        return command;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[\w./-]+$")]
    private static partial System.Text.RegularExpressions.Regex SafeWord();
}
