using Baton.Costs;
using Baton.Runs;

namespace Baton.Tests.Llm;

public class AnthropicProviderTests
{
    private static string Config(FakeLlmServer server, bool stream) =>
        $"""
            providers:
              claude:
                type: anthropic
                base_url: {server.AnthropicUrl}
                model: claude-sonnet-4-5
                api_key: ${"{"}env:TEST_KEY{"}"}
                stream: {(stream ? "true" : "false")}
            """;

    private const string Chain = """
        name: claude-chain
        agents:
          ask:
            system: Be brief.
            prompt: Say hello.
            model: claude
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reply_ReachesOutput_WithReportedUsage(bool stream)
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("Hello from Claude.", input: 1000, output: 100));
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(server, stream));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.True(
            outcome.Status == RunStatus.Succeeded,
            string.Join("\n", TestWorkspace.Events(run).Select(e => e.Data?.ToString()))
        );
        Assert.Equal("Hello from Claude.", LlmKit.Output(run, "ask"));
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(stream, request.Stream);
        Assert.Equal(LlmKit.Key, request.ApiKeyHeader);
        Assert.Null(request.Authorization);
        Assert.Contains("anthropic-version: 2023-06-01", request.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("claude-sonnet-4-5", request.Json["model"]!.GetValue<string>());
        Assert.Contains("Be brief.", request.Json["system"]!.ToJsonString(), StringComparison.Ordinal);
        var entry = Assert.Single(CostLedger.Read(run.Path));
        Assert.Equal((1000L, 100L, "reported"), (entry.Usage.InputTokens, entry.Usage.OutputTokens, entry.Source));
        Assert.Equal((1000 * 3.00m + 100 * 15.00m) / 1_000_000m, entry.Usd);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CacheReads_CountAsCachedInput_InsideTheInputCount(bool stream)
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("Cached.", input: 1000, output: 100, cached: 400));
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(server, stream));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var entry = Assert.Single(CostLedger.Read(run.Path));
        Assert.Equal(
            (1400L, 100L, 400L),
            (entry.Usage.InputTokens, entry.Usage.OutputTokens, entry.Usage.CachedInputTokens)
        );
    }

    [Fact]
    public async Task ErrorEvent_InTheStream_FailsWithItsMessage()
    {
        const string stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":12,"output_tokens":1}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}


            """;
        using var server = new FakeLlmServer { Fallback = FakeReply.Raw(200, "text/event-stream", stream) };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(server, stream: true));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = LlmKit.Data(run, "ask.failed");
        Assert.Equal("provider", failed.GetProperty("reason").GetString());
        Assert.Contains("Overloaded", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(
        true,
        "application/json",
        """{"type":"message","content":[{"type":"text","text":"hi"}]}""",
        "event stream"
    )]
    [InlineData(true, "text/event-stream", ": keep-alive\n\n", "no event")]
    [InlineData(false, "application/json", """{"type":"message","content":[]}""", "without a reply")]
    [InlineData(false, "text/html", "<html>gateway</html>", "without a reply")]
    public async Task OkReply_WithNothingReadable_FailsTheAgent_WithAClearReason(
        bool stream,
        string contentType,
        string body,
        string expected
    )
    {
        using var server = new FakeLlmServer { Fallback = FakeReply.Raw(200, contentType, body) };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(server, stream));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = LlmKit.Data(run, "ask.failed");
        Assert.Equal("provider", failed.GetProperty("reason").GetString());
        var message = failed.GetProperty("message").GetString()!;
        Assert.Contains("no reply Baton could read", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderError_FailsWithItsMessage()
    {
        using var server = new FakeLlmServer
        {
            Fallback = FakeReply.Error(400, "max_tokens: too large for this model"),
        };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(server, stream: true));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = LlmKit.Data(run, "ask.failed");
        Assert.Equal("provider", failed.GetProperty("reason").GetString());
        Assert.Contains(
            "max_tokens: too large for this model",
            failed.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
        Assert.Single(server.Requests); // a 400 is not retried
    }
}
