using System.CommandLine;
using System.Text;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Server;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>
/// <c>engine hash-password</c>: prints what the service's configuration holds instead of a
/// secret — a PBKDF2 hash of a portal password, or with <c>--token</c> the SHA-256 of an API
/// token. The secret is read from standard input, never from the command line, where it would
/// land in the shell history and the process list.
/// </summary>
internal static class HashPasswordCommand
{
    private const int MinimumPassword = 12;

    public static Command Create(CliApp app)
    {
        var token = new Option<bool>("--token") { Description = "Hash an API token (SHA-256, for LACREI_API_TOKENS) instead of a portal password" };
        var iterations = new Option<int>("--iterations")
        {
            Description = $"PBKDF2 iterations (at least {PasswordHash.MinimumIterations})",
            DefaultValueFactory = _ => PasswordHash.DefaultIterations,
        };
        var command = new Command("hash-password",
            "Read a password (or an API token) from standard input and print the hash that the service's configuration holds") { token, iterations };

        app.SetAction(command, async (context, ct) =>
        {
            var isToken = context.Parse.GetValue(token);
            var rounds = context.Parse.GetValue(iterations);
            if (rounds < PasswordHash.MinimumIterations)
                throw new PipelineException(ErrorKind.Usage, null, $"--iterations must be at least {PasswordHash.MinimumIterations}");
            var secret = await ReadSecretAsync(context, isToken ? "API token" : "Password", confirm: !isToken, ct);
            var minimum = isToken ? TokenHash.MinimumLength : MinimumPassword;
            if (secret.Length < minimum)
                throw new PipelineException(ErrorKind.Usage, null, $"the {(isToken ? "token" : "password")} must have at least {minimum} characters",
                    isToken ? "make one with: openssl rand -hex 32" : "a passphrase of a few words is long enough and easy to remember");
            await context.Out.WriteLineAsync(isToken ? TokenHash.Of(secret) : PasswordHash.Create(secret, rounds));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Piped input: its first line. A terminal: a prompt on stderr and typing that is not echoed.</summary>
    private static async Task<string> ReadSecretAsync(CommandContext context, string what, bool confirm, CancellationToken ct)
    {
        if (Console.IsInputRedirected) return (await Console.In.ReadLineAsync(ct) ?? "").TrimEnd('\r');
        var first = ReadHidden(context.Error, $"{what}: ");
        if (confirm && ReadHidden(context.Error, $"{what} again: ") != first)
            throw new PipelineException(ErrorKind.Usage, null, "the two entries differ");
        return first;
    }

    private static string ReadHidden(TextWriter prompt, string label)
    {
        prompt.Write(label);
        prompt.Flush();
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; }
            else if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        prompt.WriteLine();
        return text.ToString();
    }
}
