using Baton.Costs;
using Baton.Runs;

namespace Baton.Tests.Llm;

/// <summary>The provider circuit breaker and the monthly budget: calls that are not made at all.</summary>
public class GuardTests
{
    [Fact]
    public async Task RepeatedFailures_OpenTheCircuit_AndLaterCallsFailWithoutReachingTheProvider()
    {
        using var server = new FakeLlmServer { Fallback = FakeReply.Error(503, "overloaded") };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));
        var providers = LlmKit.Fast() with
        {
            MaxRetries = 0,
            BreakAfterFailures = 3,
            BreakDuration = TimeSpan.FromMinutes(1),
        };

        var (run, outcome) = await ws.RunAsync(
            """
            name: breaker
            agents:
              ask:
                prompt: hi
                retries: 4
            """,
            options: LlmKit.Engine(providers)
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(3, server.Requests.Count);
        var last = TestWorkspace.Events(run).Last(e => e.Type == "ask.failed").Data!.Value;
        Assert.Contains("circuit open", last.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpentBudget_RefusesNewCalls_WithReasonBudget()
    {
        using var server = new FakeLlmServer();
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server, "budget: { monthly_usd: 1 }"));
        var earlier = Directory.CreateDirectory(Path.Combine(ws.Root, "runs", "20200101-000000-old-0001")).FullName;
        CostLedger.Append(
            earlier,
            new CostEntry(
                DateTimeOffset.UtcNow,
                "ws",
                "old",
                "20200101-000000-old-0001",
                "a",
                1,
                1,
                "default",
                "gpt-4o",
                new TokenUsage(1, 1),
                1.50m,
                true
            )
        );

        var (run, outcome) = await ws.RunAsync(
            "name: spend\nagents:\n  ask:\n    prompt: hi\n",
            options: LlmKit.Engine()
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal("budget", LlmKit.Data(run, "ask.failed").GetProperty("reason").GetString());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task EightyPercentSpent_WritesOneBudgetAlertEvent_AndPostsTheWebhook()
    {
        using var server = new FakeLlmServer();
        using var hook = FakeLlmServer.Listen(out var port);
        var received = hook.GetContextAsync();
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            LlmKit.OpenAiConfig(server, $"budget: {{ monthly_usd: 1, alert_webhook: 'http://127.0.0.1:{port}/hook/' }}")
        );
        var earlier = Directory.CreateDirectory(Path.Combine(ws.Root, "runs", "20200101-000000-old-0001")).FullName;
        CostLedger.Append(
            earlier,
            new CostEntry(
                DateTimeOffset.UtcNow,
                "ws",
                "old",
                "20200101-000000-old-0001",
                "a",
                1,
                1,
                "default",
                "gpt-4o",
                new TokenUsage(1, 1),
                0.85m,
                true
            )
        );

        var (run, outcome) = await ws.RunAsync(
            "name: spend\nagents:\n  ask:\n    prompt: hi\n",
            options: LlmKit.Engine()
        );
        var (second, _) = await ws.RunAsync("name: spend\nagents:\n  ask:\n    prompt: hi\n", options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status); // 80 % warns; only 100 % refuses
        var alert = LlmKit.Data(run, "budget.alert");
        Assert.Equal(1m, alert.GetProperty("budget_usd").GetDecimal());
        Assert.DoesNotContain("budget.alert", TestWorkspace.Types(second)); // once a month
        var context = await received.WaitAsync(TimeSpan.FromSeconds(30));
        using var body = new StreamReader(context.Request.InputStream);
        Assert.Contains("budget.alert", await body.ReadToEndAsync());
        context.Response.Close();
    }
}
