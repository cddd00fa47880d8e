using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Tests.Diagnostics;

/// <summary>"Did you mean" hints: the nearest name by edit distance when it is close, else the list of names.</summary>
public sealed class SuggestTests
{
    [Theory]
    [InlineData("depend_on", "depends_on")]
    [InlineData("materialise", "materialize")]
    [InlineData("replce", "replace")]
    [InlineData("MART", "mart")]
    [InlineData("marts", "mart")]
    public void Close_names_are_suggested(string typed, string expected)
    {
        Assert.Equal(expected, Suggest.Nearest(typed, ["name", "depends_on", "materialize", "replace", "mart", "upsert"]));
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("x")]
    public void Far_names_are_not_suggested(string typed)
    {
        Assert.Null(Suggest.Nearest(typed, ["depends_on", "materialize", "description"]));
    }

    [Fact]
    public void Hint_says_did_you_mean_or_lists_the_names()
    {
        Assert.Equal("did you mean 'mart'?", Suggest.Hint("marts", ["staging", "mart"], "schemas"));
        Assert.Equal("known schemas: staging, mart", Suggest.Hint("warehouse", ["staging", "mart"], "schemas"));
    }

    [Fact]
    public void Hint_with_no_names_says_none_are_defined()
    {
        Assert.Equal("no sources are defined", Suggest.Hint("app", [], "sources"));
    }
}
