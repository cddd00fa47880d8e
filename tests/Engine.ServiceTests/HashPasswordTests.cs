using System.Diagnostics;
using Lacrei.Engine.Server;

namespace Lacrei.Engine.Tests;

/// <summary><c>engine hash-password</c> reads the secret from standard input (never argv) and prints what the configuration holds.</summary>
public sealed class HashPasswordTests
{
    [Fact]
    public async Task Password_from_stdin_becomes_a_pbkdf2_hash_that_verifies()
    {
        var first = await EngineAsync("uma frase-senha bem comprida\n", "hash-password");
        var second = await EngineAsync("uma frase-senha bem comprida\n", "hash-password");

        Assert.Equal(0, first.ExitCode);
        Assert.Matches(@"^pbkdf2-sha256\$600000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$", first.Out.Trim());
        Assert.True(PasswordHash.Verify("uma frase-senha bem comprida", first.Out.Trim()));
        Assert.False(PasswordHash.Verify("uma frase-senha bem comprid", first.Out.Trim()));
        Assert.NotEqual(first.Out, second.Out);
        Assert.DoesNotContain("comprida", first.Out + first.Error);
    }

    [Fact]
    public async Task Token_flag_prints_the_tokens_sha256()
    {
        var outcome = await EngineAsync(Credentials.Token + "\n", "hash-password", "--token");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(Credentials.TokenHashText, outcome.Out.Trim());
    }

    [Fact]
    public async Task Short_password_is_refused()
    {
        var outcome = await EngineAsync("curta\n", "hash-password");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("error: the password must have at least 12 characters\n  hint: a passphrase of a few words is long enough and easy to remember",
            outcome.Error.Trim().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task The_password_cannot_be_given_as_an_argument()
    {
        var outcome = await EngineAsync("", "hash-password", "uma frase-senha bem comprida");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error: Unrecognized command or argument 'uma frase-senha bem comprida'", outcome.Error);
    }

    /// <summary>The built engine as its own process, so standard input is really a pipe.</summary>
    private static async Task<CliOutcome> EngineAsync(string stdin, params string[] args)
    {
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        string[] all = [Path.Combine(AppContext.BaseDirectory, "engine.dll"), .. args];
        foreach (var arg in all) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new CliOutcome(process.ExitCode, await output, await error);
    }
}
