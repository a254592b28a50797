using Baton.Runs;

namespace Baton.Tests.Llm;

public class UnreadableReplyTests
{
    private const string Chain = """
        name: llm
        agents:
          ask:
            prompt: Say hello.
        """;

    private const string JsonCompletion =
        """{"id":"chatcmpl-proxy","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}]}""";

    private const string AnthropicMessage = """{"type":"message","content":[{"type":"text","text":"hello"}]}""";

    [Theory]
    [InlineData("openai", true, "application/json", JsonCompletion, "application/json")] // a proxy that answers a streaming request with a plain completion
    [InlineData("openai", true, "text/event-stream", "", "nothing")] // a stream that ends before any event
    [InlineData("openai", true, "text/event-stream", ": keep-alive\n\n", "no event")]
    [InlineData("anthropic", true, "application/json", AnthropicMessage, "instead of an event stream")]
    [InlineData("anthropic", true, "text/event-stream", ": keep-alive\n\n", "no event")]
    [InlineData("anthropic", false, "application/json", """{"type":"message","content":[]}""", "without a reply")]
    [InlineData("anthropic", false, "text/html", "<html>gateway</html>", "without a reply")]
    public async Task OkReply_WithNothingReadable_FailsTheAgent_WithAClearReason(
        string provider,
        bool stream,
        string contentType,
        string body,
        string expected
    )
    {
        using var server = new FakeLlmServer { Fallback = FakeReply.Raw(200, contentType, body) };
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            $"""
            providers:
              default:
                type: {provider}
                base_url: {(provider == "anthropic" ? server.AnthropicUrl : server.OpenAiUrl)}
                model: {(provider == "anthropic" ? "claude-sonnet-4-5" : "gpt-4o-mini")}
                api_key: ${"{"}env:TEST_KEY{"}"}
                stream: {(stream ? "true" : "false")}
            """
        );

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = LlmKit.Data(run, "ask.failed");
        Assert.Equal("provider", failed.GetProperty("reason").GetString());
        var message = failed.GetProperty("message").GetString()!;
        Assert.Contains("no reply Baton could read", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        using var call = LlmKit.Call(run, "ask", 1);
        Assert.Equal("provider", call.RootElement.GetProperty("error").GetProperty("reason").GetString());
    }
}
