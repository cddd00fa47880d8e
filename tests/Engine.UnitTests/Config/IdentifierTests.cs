using Lacrei.Engine.Config;

namespace Lacrei.Engine.Tests.Config;

/// <summary>SPEC §3: every name that reaches SQL is validated and always emitted quoted.</summary>
public sealed class IdentifierTests
{
    [Theory]
    [InlineData("lacreisaude_mart")]
    [InlineData("lacreisaude-relacional")]
    [InlineData("_private")]
    [InlineData("Patients2025")]
    [InlineData("a")]
    public void Valid_names_are_accepted_and_quoted(string name)
    {
        Assert.True(Identifier.TryParse(name, out var identifier));
        Assert.Equal(name, identifier.Name);
        Assert.Equal($"\"{name}\"", identifier.Quoted);
        Assert.Equal($"\"{name}\"", identifier.ToString());
    }

    [Fact]
    public void A_name_of_63_characters_is_the_longest_accepted()
    {
        Assert.True(Identifier.IsValid(new string('a', 63)));
        Assert.False(Identifier.IsValid(new string('a', 64)));
    }

    [Theory]
    [InlineData("x\"; DROP TABLE t; --")]
    [InlineData("")]
    [InlineData("1st_layer")]
    [InlineData("-leading-hyphen")]
    [InlineData("two words")]
    [InlineData("schema.table")]
    [InlineData("quote\"inside")]
    [InlineData("semi;colon")]
    [InlineData("acentuação")]
    [InlineData("trailing ")]
    [InlineData("line\nbreak")]
    public void Invalid_names_are_refused(string name)
    {
        Assert.False(Identifier.IsValid(name));
        Assert.False(Identifier.TryParse(name, out _));
        var error = Assert.Throws<ArgumentException>(() => Identifier.Parse(name));
        Assert.StartsWith($"invalid SQL identifier '{name}'", error.Message);
    }

    [Fact]
    public void Null_is_not_a_name()
    {
        Assert.False(Identifier.IsValid(null));
        Assert.False(Identifier.TryParse(null, out _));
    }

    [Fact]
    public void The_rule_is_stated_for_users()
    {
        Assert.Equal("a SQL name is 1-63 letters, digits, '_' or '-', starting with a letter or '_'", Identifier.Rule);
    }
}
