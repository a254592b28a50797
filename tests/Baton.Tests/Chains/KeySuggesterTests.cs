using Baton.Chains;

namespace Baton.Tests.Chains;

public class KeySuggesterTests
{
    [Theory]
    [InlineData("nedds", "needs")]
    [InlineData("promt", "prompt")]
    [InlineData("timout", "timeout")]
    [InlineData("on_change", "on_changes")]
    [InlineData("zzzzzz", null)]
    [InlineData("qqq", null)]
    public void Suggest_NearestWithinLimit(string typed, string? expected)
    {
        Assert.Equal(expected, KeySuggester.Suggest(typed, ["needs", "prompt", "timeout", "on_changes", "on"]));
    }
}
