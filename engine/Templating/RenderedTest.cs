using Lacrei.Engine.Config;

namespace Lacrei.Engine.Templating;

/// <summary>A data test compiled to the query that returns its offending rows.</summary>
public sealed record RenderedTest(DataTestConfig Config, string Sql);
