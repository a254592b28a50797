using Baton.Costs;

namespace Baton.Tests.Costs;

public class PricingTests
{
    [Fact]
    public void Cost_BillsCachedInputAtItsRate_AndReasoningAsOutput()
    {
        var price = new ModelPrice(Input: 2.50m, Output: 10.00m, CachedInput: 1.25m);
        var usage = new TokenUsage(
            InputTokens: 10_000,
            OutputTokens: 2_000,
            CachedInputTokens: 4_000,
            ReasoningTokens: 500
        );

        // 6,000 × 2.50 + 4,000 × 1.25 + 2,000 × 10.00 (reasoning is inside output) per 1M
        Assert.Equal(0.04m, price.Cost(usage));
    }

    [Fact]
    public void Cost_WithoutACachedRate_BillsCachedInputAsInput() =>
        Assert.Equal(0.003m, new ModelPrice(1m, 2m).Cost(new TokenUsage(1_000, 1_000, CachedInputTokens: 1_000)));

    [Theory]
    [InlineData("gpt-4o-mini-2024-07-18", 0.15)]
    [InlineData("gpt-4o-2024-11-20", 2.50)]
    [InlineData("claude-sonnet-4-5-20250929", 3.00)]
    [InlineData("openai/gpt-4.1-mini", 0.40)]
    [InlineData("GEMINI-2.5-flash", 0.30)]
    public void BuiltInTable_MatchesDatedNamesByLongestFamily(string model, double input) =>
        Assert.Equal((decimal)input, PriceTable.BuiltIn.Find(model)!.Input);

    [Fact]
    public void UnknownModel_HasNoPrice_AndAPrefixThatIsNotAFamilyDoesNotMatch()
    {
        Assert.Null(PriceTable.BuiltIn.Find("llama3.2"));
        Assert.Null(PriceTable.BuiltIn.Find("gpt-4omega"));
    }

    [Fact]
    public void Overrides_WinOverTheBuiltInTable()
    {
        var table = new PriceTable(
            new Dictionary<string, ModelPrice> { ["gpt-4o"] = new(1m, 1m), ["llama3.2"] = new(0m, 0m) }
        );
        Assert.Equal(1m, table.Find("gpt-4o-2024-08-06")!.Input);
        Assert.Equal(0.15m, table.Find("gpt-4o-mini")!.Input); // the more specific built-in family is not repriced
        Assert.Equal(0m, table.Find("llama3.2")!.Output);
    }
}
