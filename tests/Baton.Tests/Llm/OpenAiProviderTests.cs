using System.Text;
using System.Text.Json.Nodes;
using Baton.Costs;
using Baton.Runs;

namespace Baton.Tests.Llm;

public class OpenAiProviderTests
{
    private const string Chain = """
        name: llm
        inputs:
          topic: { default: file-based event buses }
        agents:
          ask:
            system: You are terse about {{ inputs.topic }}.
            prompt: Explain {{ inputs.topic }} in one line.
        """;

    [Fact]
    public async Task StreamedReply_ArrivesInPieces_ForTheLiveView()
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("Event files are the bus."));
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));
        var pieces = new List<string>();
        var options = LlmKit.Engine();
        options = new EngineOptions
        {
            RetryBaseDelay = options.RetryBaseDelay,
            Runners = options.Runners,
            OnProgress = (_, agent, text) =>
            {
                lock (pieces)
                    pieces.Add($"{agent}:{text}");
            },
        };

        var (_, outcome) = await ws.RunAsync(Chain, options: options);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.True(pieces.Count > 1, $"streamed as {pieces.Count} piece(s)");
        Assert.Equal("Event files are the bus.", string.Concat(pieces.Select(p => p["ask:".Length..])));
    }

    [Fact]
    public async Task StreamedReply_ReachesOutput_AndTemplatesReachTheRequest()
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("Event files are the bus."));
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("Event files are the bus.", LlmKit.Output(run, "ask"));
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.True(request.Stream);
        Assert.Equal($"Bearer {LlmKit.Key}", request.Authorization);
        var messages = request.Json["messages"]!.AsArray();
        Assert.Equal("You are terse about file-based event buses.", messages[0]!["content"]!.GetValue<string>());
        Assert.Equal("Explain file-based event buses in one line.", messages[1]!["content"]!.GetValue<string>());
        Assert.Equal("gpt-4o-mini", request.Json["model"]!.GetValue<string>());

        using var call = LlmKit.Call(run, "ask", 1);
        // JSON as RFC 8259 has it: no byte-order mark (Python's json.load refuses one).
        Assert.Equal((byte)'{', File.ReadAllBytes(Path.Combine(run.AgentDir("ask"), "call-001.json"))[0]);
        Assert.Equal("Event files are the bus.", call.RootElement.GetProperty("reply").GetString());
        Assert.Equal("reported", call.RootElement.GetProperty("usage").GetProperty("source").GetString());
        Assert.Equal(
            "file-based event buses",
            call.RootElement.GetProperty("request").GetProperty("messages")[1].GetProperty("content").GetString()![
                8..30
            ]
        );
    }

    [Fact]
    public async Task APromptLongerThanTheSdksBuffer_IsSentWhole_AsTheCallRecordHasIt()
    {
        // The SDK writes a body into 16 KB buffers; Baton copies it out before sending (CompactRequestBody):
        // a body of several buffers (with characters the JSON escapes) must arrive byte for byte.
        using var server = new FakeLlmServer().Then(FakeReply.Text("read"));
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));
        var text = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"é{i}€ "));

        var (run, outcome) = await ws.RunAsync(
            "name: long\ninputs:\n  text: {}\nagents:\n  ask:\n    prompt: \"{{ inputs.text }}\"\n",
            new Dictionary<string, string> { ["text"] = text },
            LlmKit.Engine()
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var request = Assert.Single(server.Requests);
        Assert.True(Encoding.UTF8.GetByteCount(request.Body) > 3 * 16_384, $"{request.Body.Length} characters");
        Assert.Equal(text, request.Json["messages"]![0]!["content"]!.GetValue<string>());
        using var call = LlmKit.Call(run, "ask", 1);
        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse(request.Body),
                JsonNode.Parse(call.RootElement.GetProperty("request").GetRawText())
            ),
            "the call record's request is not the body the provider received"
        );
    }

    [Fact]
    public async Task NonStreamingProvider_GetsAJsonReply()
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("plain json reply"));
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            LlmKit
                .OpenAiConfig(server)
                .Replace("model: gpt-4o-mini", "model: gpt-4o-mini\n    stream: false", StringComparison.Ordinal)
        );

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.False(Assert.Single(server.Requests).Stream);
        Assert.Equal("plain json reply", LlmKit.Output(run, "ask"));
    }

    [Fact]
    public async Task Cost_IsPricedFromTheUsage_IntoLedgerEventsAndRunTotal()
    {
        using var server = new FakeLlmServer().Then(
            FakeReply.Text("ok", input: 1_000_000, output: 500_000, cached: 200_000)
        );
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            LlmKit.OpenAiConfig(
                server,
                """
                prices:
                  gpt-4o-mini: { input: 1.00, output: 4.00, cached_input: 0.50 }
                """
            )
        );

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        // 800k uncached × $1 + 200k cached × $0.50 + 500k output × $4 = 0.8 + 0.1 + 2.0
        const decimal expected = 2.9m;
        var entry = Assert.Single(CostLedger.Read(run.Path));
        Assert.Equal(expected, entry.Usd);
        Assert.Equal(
            ("llm", "ask", "gpt-4o-mini", 1_000_000L, 500_000L, 200_000L),
            (
                entry.Chain,
                entry.Agent,
                entry.Model,
                entry.Usage.InputTokens,
                entry.Usage.OutputTokens,
                entry.Usage.CachedInputTokens
            )
        );
        Assert.Equal("reported", entry.Source);
        Assert.Equal(expected, LlmKit.Data(run, "ask.done").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(expected, LlmKit.Data(run, "run.finished").GetProperty("cost_usd").GetDecimal());
        var row = Assert.Single(CostReport.Query(ws.Workspace.RunsRoot, "model"));
        Assert.Equal(("gpt-4o-mini", 1, expected), (row.Key, row.Calls, row.Usd));
    }

    [Fact]
    public async Task ReplyWithoutUsage_IsCountedAndMarkedEstimated()
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("a reply with no usage block", usage: false));
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var entry = Assert.Single(CostLedger.Read(run.Path));
        Assert.Equal("estimated", entry.Source);
        Assert.True(entry.Usage.InputTokens > 5);
        Assert.Equal(TokenCounter.Count("a reply with no usage block"), entry.Usage.OutputTokens);
        Assert.True(entry.Usd > 0);
    }
}
