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
    public async Task OfflineCall_RecordsItsRequestAndReply_FirstLineOfThePromptQuoted()
    {
        const string chain = """
            name: offline-record
            agents:
              draft:
                prompt: "\r\n\n   Résumé <first> line  \r\nsecond line"
              facts:
                prompt: Facts.
                schema: { type: object, required: [n], properties: { n: { type: integer, minimum: 3 } } }
            """;
        var engine = LlmKit.Engine(LlmKit.Fast(environment: _ => null));
        using var ws = new TestWorkspace();

        var (run, outcome) = await ws.RunAsync(chain, options: engine);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var reply = LlmKit.Output(run, "draft");
        Assert.EndsWith("that begins: \"Résumé <first> line\"", reply, StringComparison.Ordinal);
        using var draft = LlmKit.Call(run, "draft", 1);
        var request = draft.RootElement.GetProperty("request");
        Assert.Equal("offline", request.GetProperty("model").GetString());
        Assert.Equal("user", request.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal(
            "\r\n\n   Résumé <first> line  \r\nsecond line",
            request.GetProperty("messages")[0].GetProperty("content").GetString()
        );
        var body = draft.RootElement.GetProperty("response").GetProperty("body");
        Assert.Equal(reply, body.GetProperty("content").GetString());
        var ledger = CostLedger.Read(run.Path).Single(e => e.Agent == "draft");
        Assert.Equal(ledger.Usage.InputTokens, body.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(ledger.Usage.OutputTokens, body.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Contains(
            "Résumé <first>",
            File.ReadAllText(run.AgentDir("draft") + "/call-001.json"),
            StringComparison.Ordinal
        );

        using var facts = LlmKit.Call(run, "facts", 1);
        var format = facts.RootElement.GetProperty("request").GetProperty("response_format");
        Assert.Equal("n", format.GetProperty("required")[0].GetString());
        Assert.Equal("{\"n\":3}", LlmKit.Output(run, "facts"));
    }

    [Fact]
    public async Task DefaultWithOpenAiKeyInTheEnvironment_PicksOpenAi()
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("real"));
        var warnings = new List<string>();
        var environment = new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = LlmKit.Key,
            ["OPENAI_BASE_URL"] = server.OpenAiUrl,
        };
        using var ws = new TestWorkspace();

        var (run, outcome) = await ws.RunAsync(
            "name: envdefault\nagents:\n  ask:\n    prompt: hi\n",
            options: LlmKit.Engine(LlmKit.Fast(environment: n => environment.GetValueOrDefault(n)), warnings)
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("real", LlmKit.Output(run, "ask"));
        Assert.Contains(warnings, w => w.Contains("OPENAI_API_KEY", StringComparison.Ordinal));
        Assert.Equal("gpt-4o-mini", Assert.Single(server.Requests).Json["model"]!.GetValue<string>());
    }
}

public class SnapshotPromptTests
{
    [Fact]
    public async Task RunsOfTheSameChain_EachUseTheirOwnSnapshotOfAPromptFile()
    {
        // The engine keeps parsed chains by their YAML text; a prompt file that changed between two
        // runs must still reach each run as it was when that run was created.
        const string chain = """
            name: snapshot
            agents:
              write:
                prompt: ../prompts/ask.md
            """;
        var engine = LlmKit.Engine(LlmKit.Fast(environment: _ => null));
        using var ws = new TestWorkspace();
        ws.Write("prompts/ask.md", "First version of the question.");
        var first = await ws.CreateRunAsync(chain);
        ws.Write("prompts/ask.md", "Second version of the question.");
        var second = await ws.CreateRunAsync(chain);

        var outcomes = new[]
        {
            await new RunEngine(ws.Workspace, engine).RunAsync(first),
            await new RunEngine(ws.Workspace, engine).RunAsync(second),
        };

        Assert.All(outcomes, o => Assert.Equal(RunStatus.Succeeded, o.Status));
        Assert.Contains("First version", LlmKit.Output(first, "write"), StringComparison.Ordinal);
        Assert.Contains("Second version", LlmKit.Output(second, "write"), StringComparison.Ordinal);
    }
}
