using System.Text.Json;
using Baton.Runs;
using Baton.Tests.Cli;
using Baton.Tests.Llm;
using Microsoft.Extensions.Time.Testing;

namespace Baton.Tests.Monitoring;

/// <summary>Issue 15, model API health: from the calls runs made, read back by `baton health` without a server.</summary>
public class HealthTests
{
    private const string Chain = """
        name: ask
        agents:
          ask:
            prompt: Hello?
        """;

    [Fact]
    public async Task SlowerRepliesAnd5xxAfterAFastWeek_BatonHealthShowsThemAndRaisesLatencyAndErrorAlerts()
    {
        using var llm = new FakeLlmServer();
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(llm));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(2));
        var engine = LlmKit.Engine(LlmKit.Fast() with { Time = clock });

        for (var i = 0; i < 20; i++) // the baseline: two days ago, fast
            Assert.Equal(RunStatus.Succeeded, (await ws.RunAsync(Chain, options: engine)).Outcome.Status);
        clock.Advance(TimeSpan.FromDays(2));
        // ~1.5 s per call (6 events, 250 ms apart): the alert needs p95 above 2× the baseline's, and a fast local call
        // of the baseline can take a few hundred ms on a loaded machine (at 100 ms apart it once did not alert).
        llm.Fallback = FakeReply.Text("slow now", chunkDelay: TimeSpan.FromMilliseconds(250));
        llm.Then(FakeReply.Error(503, "overloaded"), FakeReply.Error(502, "bad gateway"));
        for (var i = 0; i < 5; i++)
            Assert.Equal(RunStatus.Succeeded, (await ws.RunAsync(Chain, options: engine)).Outcome.Status);

        var health = await BatonCli.RunAsync(ws.Root, "health", "--json");
        Assert.True(health.ExitCode == 1, health.ToString()); // 1: there are alerts
        var report = JsonDocument.Parse(health.Stdout).RootElement;
        var model = Assert.Single(report.GetProperty("models").EnumerateArray());
        Assert.Equal("default", model.GetProperty("provider").GetString());
        Assert.Equal(5, model.GetProperty("calls").GetInt32());
        Assert.Equal(7, model.GetProperty("attempts").GetInt32());
        Assert.Equal(2, model.GetProperty("errors").GetProperty("server_error").GetInt32());
        Assert.True(model.GetProperty("duration_p95_ms").GetInt64() >= 300, health.Stdout);
        Assert.True(model.GetProperty("first_chunk_p95_ms").GetInt64() > 0, health.Stdout);
        Assert.True(model.GetProperty("tokens_per_second").GetDouble() > 0, health.Stdout);
        var alerts = report
            .GetProperty("alerts")
            .EnumerateArray()
            .Select(a => a.GetProperty("type").GetString())
            .ToList();
        Assert.Contains("latency", alerts);
        Assert.Contains("error_rate", alerts);
        Assert.DoesNotContain("circuit_open", alerts);

        var text = await BatonCli.RunAsync(ws.Root, "health");
        Assert.Contains("ALERT latency: default (gpt-4o-mini): p95 latency", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 server_error", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BreakerOpens_HealthCountsTheRefusedCallAndRaisesACircuitAlert()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Error(500, "down") };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(llm));
        var engine = LlmKit.Engine(LlmKit.Fast() with { MaxRetries = 0, BreakAfterFailures = 2 });

        for (var i = 0; i < 3; i++)
            Assert.Equal(RunStatus.Failed, (await ws.RunAsync(Chain, options: engine)).Outcome.Status);

        Assert.Equal(2, llm.Requests.Count); // the third call was never sent
        var health = await BatonCli.RunAsync(ws.Root, "health", "--json");
        var report = JsonDocument.Parse(health.Stdout).RootElement;
        var model = Assert.Single(report.GetProperty("models").EnumerateArray());
        Assert.Equal(3, model.GetProperty("failed_calls").GetInt32());
        Assert.Equal(1, model.GetProperty("circuit_opened").GetInt32());
        Assert.Equal(1, model.GetProperty("errors").GetProperty("circuit_open").GetInt32());
        Assert.Contains(report.GetProperty("alerts").EnumerateArray(), a =>
            a.GetProperty("type").GetString() == "circuit_open"
        );
    }
}
