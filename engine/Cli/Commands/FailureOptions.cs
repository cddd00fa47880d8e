using System.CommandLine;

namespace Lacrei.Engine.Cli.Commands;

/// <summary>The option <c>run</c> and <c>test</c> share for keeping offending rows (docs/authoring.md "Keep what failed").</summary>
internal static class FailureOptions
{
    public static Option<bool> StoreFailures() => new("--store-failures")
    {
        Description = "Keep every data test's offending rows in the failures schema (as store_failures: true on each test)",
    };
}
