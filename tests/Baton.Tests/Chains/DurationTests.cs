using Baton.Chains;

namespace Baton.Tests.Chains;

public class DurationTests
{
    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2m5s250ms", 125_250)]
    public void Valid_Parses(string text, long milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1.5h")]
    [InlineData("10 m")]
    [InlineData("30m1h")]
    [InlineData("5s5s")]
    [InlineData("0s")]
    [InlineData("3d")]
    [InlineData("-5s")]
    [InlineData("9999999h")]
    public void Invalid_Refused(string text)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void BadTimeoutInChain_IsLocatedError()
    {
        var error = Assert.Single(ChainYaml.Errors("name: t\nagents:\n  a:\n    run: x\n    timeout: 1.5h\n"));

        Assert.Equal(new SourceLocation(5, 14), error.Location);
        Assert.Contains("invalid duration '1.5h'", error.Message);
    }
}
