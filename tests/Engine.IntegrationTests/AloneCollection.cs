namespace Lacrei.Engine.Tests;

/// <summary>Tests that must not share the server with any other test while they run (xunit runs this collection by itself).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
