using Baton.Agents;
using Baton.Chains;
using Baton.Providers;
using Baton.Runs;

namespace Baton.Tests.Llm;

/// <summary>LLM calls wait at their provider's gate (ProviderGate), bounded per provider and shared fairly across workspaces.</summary>
public class ProviderConcurrencyTests
{
    private static string Parallel(string who, int agents) =>
        "name: parallel\nagents:\n"
        + string.Concat(
            Enumerable.Range(1, agents).Select(i => $"  a{i}:\n    needs: []\n    prompt: from {who} {i}\n")
        );

    internal static async Task Until(Func<bool> condition, string what, Func<string>? state = null)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !condition(); )
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"never: {what} ({state?.Invoke()})");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task ProviderConcurrencyLimit_IsHonoured_TheRestWaitAtTheGate()
    {
        using var server = new FakeLlmServer().Hold();
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            LlmKit
                .OpenAiConfig(server)
                .Replace(
                    "model: gpt-4o-mini",
                    "model: gpt-4o-mini\n    max_concurrent_calls: 3",
                    StringComparison.Ordinal
                )
        );
        var options = LlmKit.Engine();
        var prompt = (PromptAgent)options.Runners[AgentKind.Prompt];

        var running = ws.RunAsync(Parallel("ws", 10), options: options);
        await Until(
            () => server.InFlight == 3 && prompt.Gates.SingleOrDefault() is { Waiting: 7 },
            "3 calls at the provider and 7 waiting at its gate",
            () =>
                $"in flight {server.InFlight}, gates {string.Join(", ", prompt.Gates.Select(g => $"{g.InFlight}+{g.Waiting}"))}"
        );
        server.ReleaseAll();
        var (run, outcome) = await running;

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(10, server.Requests.Count);
        Assert.Equal(3, server.MaxInFlight);
        Assert.Equal(3, Assert.Single(prompt.Gates).Capacity);
    }

    [Fact]
    public async Task FloodingWorkspace_DelaysAnotherWorkspacesFirstCall_ByAtMostOneCall()
    {
        using var server = new FakeLlmServer().Hold();
        using var flood = new TestWorkspace();
        using var calm = new TestWorkspace();
        var config = LlmKit
            .OpenAiConfig(server)
            .Replace("model: gpt-4o-mini", "model: gpt-4o-mini\n    max_concurrent_calls: 1", StringComparison.Ordinal);
        flood.Write("baton.yaml", config);
        calm.Write("baton.yaml", config);
        var options = LlmKit.Engine(); // one runner, so one gate for the provider, as in `baton serve`
        var prompt = (PromptAgent)options.Runners[AgentKind.Prompt];

        var flooding = flood.RunAsync(Parallel("flood", 6), options: options);
        await Until(
            () => server.InFlight == 1 && prompt.Gates.SingleOrDefault() is { Waiting: 5 },
            "one flood call in flight, five queued"
        );
        var calming = calm.RunAsync(Parallel("calm", 1), options: options);
        await Until(() => prompt.Gates.Single().Waiting == 6, "calm's call queued behind the flood");
        server.ReleaseOne();
        await Until(() => server.Requests.Count == 2, "the next call reached the provider");
        server.ReleaseAll();
        Assert.Equal(RunStatus.Succeeded, (await flooding).Outcome.Status);
        Assert.Equal(RunStatus.Succeeded, (await calming).Outcome.Status);

        var order = server.Requests.Select(r => r.Json["messages"]![0]!["content"]!.GetValue<string>()).ToList();
        Assert.StartsWith("from flood", order[0], StringComparison.Ordinal);
        Assert.Equal("from calm 1", order[1]);
    }
}

public class RateLimitPauseTests
{
    private const string TwoCalls = """
        name: two
        agents:
          first:
            prompt: one
          second:
            prompt: two
        """;

    [Fact]
    public async Task RateLimitHeadersAtZero_PauseTheProvider_TheNextCallWaitsAtTheGate()
    {
        const string completion =
            """{"id":"c","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}""";
        using var server = new FakeLlmServer().Then(
            new RawReply(
                200,
                "application/json",
                completion,
                [
                    ("x-ratelimit-remaining-requests", "0"),
                    ("x-ratelimit-reset-requests", "6m0s"),
                    ("x-ratelimit-remaining-tokens", "1000"),
                ]
            )
        );
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            LlmKit
                .OpenAiConfig(server)
                .Replace("model: gpt-4o-mini", "model: gpt-4o-mini\n    stream: false", StringComparison.Ordinal)
        );
        var options = LlmKit.Engine();
        var prompt = (PromptAgent)options.Runners[AgentKind.Prompt];
        using var cancel = new CancellationTokenSource();

        var running = ws.RunAsync(TwoCalls, options: options, cancel: cancel.Token);
        await ProviderConcurrencyTests.Until(
            () =>
                prompt.Gates.SingleOrDefault() is { InFlight: 1, PausedUntil: not null } && server.Requests.Count == 1,
            "the second call held at the paused gate"
        );
        var pausedFor = prompt.Gates.Single().PausedUntil!.Value - DateTimeOffset.UtcNow;
        Assert.InRange(pausedFor, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)); // 6 minutes asked, at most MaxRetryAfter (2 minutes) honoured
        cancel.Cancel();
        var (_, outcome) = await running;

        Assert.Equal(RunStatus.Cancelled, outcome.Status);
        Assert.Single(server.Requests); // the second call was never sent
    }

    [Theory]
    [InlineData("6m0s", 360_000)]
    [InlineData("20ms", 20)]
    [InlineData("1h2m3.5s", 3_723_500)]
    [InlineData("1.5", 1_500)]
    public void ResetValues_InTheProvidersFormats_AreRead(string value, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RateLimitHeaders.Until(value, DateTimeOffset.UtcNow));
}
