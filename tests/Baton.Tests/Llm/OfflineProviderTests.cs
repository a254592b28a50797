using System.Text.Json;
using Baton.Costs;
using Baton.Runs;

namespace Baton.Tests.Llm;

public class OfflineProviderTests
{
    private const string Chain = """
        name: offline-demo
        inputs:
          topic: { default: tides }
        agents:
          draft:
            prompt: Write about {{ inputs.topic }}.
          facts:
            prompt: Facts about {{ inputs.topic }}.
            schema:
              type: object
              required: [items, confident]
              properties:
                items: { type: array, minItems: 2, items: { type: string } }
                confident: { type: boolean }
                level: { enum: [low, high] }
        """;

    [Fact]
    public async Task NoProviderAndNoKeys_UsesOffline_Deterministically_AndSaysSoOnce()
    {
        var warnings = new List<string>();
        var engine = LlmKit.Engine(LlmKit.Fast(environment: _ => null), warnings);
        using var first = new TestWorkspace();
        using var second = new TestWorkspace();

        var (a, outcomeA) = await first.RunAsync(Chain, options: engine);
        var (b, _) = await second.RunAsync(Chain, options: engine);

        Assert.Equal(RunStatus.Succeeded, outcomeA.Status);
        var draft = LlmKit.Output(a, "draft");
        Assert.StartsWith("[offline]", draft, StringComparison.Ordinal);
        Assert.Contains("Write about tides.", draft, StringComparison.Ordinal);
        Assert.Equal(draft, LlmKit.Output(b, "draft"));
        Assert.Equal(LlmKit.Output(a, "facts"), LlmKit.Output(b, "facts"));

        var facts = JsonDocument.Parse(LlmKit.Output(a, "facts")).RootElement;
        Assert.Equal(2, facts.GetProperty("items").GetArrayLength());
        Assert.StartsWith("[offline]", facts.GetProperty("items")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("low", facts.GetProperty("level").GetString());

        Assert.All(CostLedger.Read(a.Path), e => Assert.Equal(0m, e.Usd));
        Assert.True(CostLedger.Read(a.Path)[0].Usage.InputTokens > 0);
        // Once per workspace, not once per prompt agent.
        Assert.Equal(2, warnings.Count(w => w.Contains("offline provider", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DefaultWithOpenAiKeyInTheEnvironment_PicksOpenAi()
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("real"));
        var warnings = new List<string>();
        var environment = new Dictionary<string, string> { ["OPENAI_API_KEY"] = LlmKit.Key, ["OPENAI_BASE_URL"] = server.OpenAiUrl };
        using var ws = new TestWorkspace();

        var (run, outcome) = await ws.RunAsync("name: envdefault\nagents:\n  ask:\n    prompt: hi\n",
            options: LlmKit.Engine(LlmKit.Fast(environment: n => environment.GetValueOrDefault(n)), warnings));

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("real", LlmKit.Output(run, "ask"));
        Assert.Contains(warnings, w => w.Contains("OPENAI_API_KEY", StringComparison.Ordinal));
        Assert.Equal("gpt-4o-mini", Assert.Single(server.Requests).Json["model"]!.GetValue<string>());
    }
}
