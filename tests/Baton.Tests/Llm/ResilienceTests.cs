using System.Diagnostics;
using Baton.Runs;

namespace Baton.Tests.Llm;

public class ResilienceTests
{
    private const string Chain = """
        name: resilient
        agents:
          ask:
            prompt: Hello?
        """;

    [Fact]
    public async Task RateLimited_WaitsRetryAfter_ThenSucceeds()
    {
        using var server = new FakeLlmServer().Then(
            FakeReply.Error(429, "Rate limit reached", ("Retry-After", "1")),
            FakeReply.Text("after the wait")
        );
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));

        var clock = Stopwatch.StartNew();
        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("after the wait", LlmKit.Output(run, "ask"));
        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), "Retry-After: 1 was honoured"); // a lower bound, not a perf assert
        using var call = LlmKit.Call(run, "ask", 1);
        var attempts = call.RootElement.GetProperty("attempts");
        Assert.Equal(429, attempts[0].GetProperty("status").GetInt32());
        Assert.Equal(1000, attempts[0].GetProperty("retry_after_ms").GetInt64());
        Assert.Equal(200, attempts[1].GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ServerErrors_ExhaustRetries_AndFailWithTheProvidersMessage()
    {
        using var server = new FakeLlmServer
        {
            Fallback = FakeReply.Error(500, "The server had an error while processing your request"),
        };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(3, server.Requests.Count); // first try + MaxRetries 2
        var failed = LlmKit.Data(run, "ask.failed");
        Assert.Equal("provider", failed.GetProperty("reason").GetString());
        var message = failed.GetProperty("message").GetString()!;
        Assert.Contains("The server had an error while processing your request", message, StringComparison.Ordinal);
        Assert.Contains("500", message, StringComparison.Ordinal);
        Assert.Contains("3 attempts", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetriedCall_SendsTheSameRequestEachAttempt_AndRecordsIt()
    {
        using var server = new FakeLlmServer().Then(
            FakeReply.Error(500, "try again"),
            FakeReply.Error(503, "and again"),
            FakeReply.Text("third time")
        );
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var requests = server.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.Contains("Hello?", requests[0].Body, StringComparison.Ordinal);
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body)); // the first sent as given, the retries as copies
        Assert.All(requests, r => Assert.Equal(requests[0].Authorization, r.Authorization));
        Assert.NotNull(requests[0].Authorization);
        using var call = LlmKit.Call(run, "ask", 1);
        Assert.Equal(
            requests[0].Json["messages"]!.ToJsonString(),
            System.Text.Json.Nodes.JsonNode.Parse(call.RootElement.GetProperty("request").GetRawText())![
                "messages"
            ]!.ToJsonString()
        );
    }

    [Fact]
    public async Task MalformedBody_FailsClearly()
    {
        using var server = new FakeLlmServer
        {
            Fallback = FakeReply.Raw(200, "application/json", "{\"choices\": [ this is not json"),
        };
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            LlmKit
                .OpenAiConfig(server)
                .Replace("model: gpt-4o-mini", "model: gpt-4o-mini\n    stream: false", StringComparison.Ordinal)
        );

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = LlmKit.Data(run, "ask.failed");
        Assert.Equal("provider", failed.GetProperty("reason").GetString());
        Assert.Contains("could not read", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var call = LlmKit.Call(run, "ask", 1);
        Assert.Contains(
            "this is not json",
            call.RootElement.GetProperty("response").GetProperty("body").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task SlowStream_HitsTheProviderTimeout()
    {
        using var server = new FakeLlmServer
        {
            Fallback = FakeReply.Text(
                "one two three four five six seven eight nine ten",
                chunkDelay: TimeSpan.FromMilliseconds(300)
            ),
        };
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            LlmKit
                .OpenAiConfig(server)
                .Replace("model: gpt-4o-mini", "model: gpt-4o-mini\n    timeout: 1s", StringComparison.Ordinal)
        );

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = LlmKit.Data(run, "ask.failed");
        Assert.Equal("timeout", failed.GetProperty("reason").GetString());
        Assert.Contains("within 1s", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableProvider_FailsFastAndSaysWhere()
    {
        var port = FakeLlmServer.FreePort(); // nothing listens there
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            $"""
            providers:
              default: {"{"} type: openai, base_url: "http://127.0.0.1:{port}/v1", api_key: "${"{"}env:TEST_KEY{"}"}" {"}"}
            """
        );

        var (run, outcome) = await ws.RunAsync(
            Chain,
            options: LlmKit.Engine(LlmKit.Fast() with { RetryBaseDelay = TimeSpan.FromSeconds(30) })
        );

        Assert.Equal(RunStatus.Failed, outcome.Status); // with 30s retry delays, finishing at all means no retry happened
        var failed = LlmKit.Data(run, "ask.failed");
        Assert.Equal("unreachable", failed.GetProperty("reason").GetString());
        var message = failed.GetProperty("message").GetString()!;
        Assert.Contains($"127.0.0.1:{port}", message, StringComparison.Ordinal);
        Assert.Contains("connection refused", message, StringComparison.Ordinal);
    }
}
