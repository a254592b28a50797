using Baton.Monitoring;
using Baton.Workspaces;

namespace Baton.Tests.Monitoring;

/// <summary>Issue 15: each cost alert names the agent that grew and which factor grew in it (prompt tokens, output tokens, retries, model).</summary>
public class CostFactorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static RunCost Run(int i, AgentCost write) =>
        new(Now.AddHours(i - 10), $"run-{i}", "succeeded", [new AgentCost("fetch", 0.001, 100, 50, 0, "small"), write]);

    private static readonly AgentCost Usual = new("write", 0.001, 100, 50, 0, "small");

    [Theory]
    [InlineData("prompt_tokens", "prompt tokens 8× (prompt tokens 800 vs 100)")]
    [InlineData("output_tokens", "output tokens 8× (output tokens 400 vs 50)")]
    [InlineData("retries", "retries 4× (retries 3 vs 0)")]
    [InlineData("model", "its model changed from small to big")]
    public void RunThatCostsMore_AlertNamesTheAgentAndTheFactorThatGrew(string factor, string detail)
    {
        var grown = factor switch
        {
            "prompt_tokens" => Usual with { Usd = 0.008, InputTokens = 800 },
            "output_tokens" => Usual with { Usd = 0.008, OutputTokens = 400 },
            "retries" => Usual with { Usd = 0.004, Retries = 3 },
            _ => Usual with { Usd = 0.008, Model = "big" },
        };
        var before = Enumerable.Range(0, 5).Select(i => Run(i, Usual)).ToList();

        var alerts = CostDrift.Evaluate("digest", Run(9, grown), before, WorkspaceAlerts.Default, Now);

        var alert = Assert.Single(alerts);
        Assert.Equal("cost_spike", alert.Type);
        Assert.Equal("write", alert.Agent);
        Assert.Equal(factor, alert.Factor);
        Assert.Contains($"agent 'write' grew most: {detail}", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingGrew_NoAlert()
    {
        var before = Enumerable.Range(0, 5).Select(i => Run(i, Usual)).ToList();
        Assert.Empty(CostDrift.Evaluate("digest", Run(9, Usual), before, WorkspaceAlerts.Default, Now));
    }
}
