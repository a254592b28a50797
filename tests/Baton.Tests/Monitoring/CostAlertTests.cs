using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Baton.Monitoring;
using Baton.Runs;
using Baton.Tests.Cli;
using Baton.Tests.Llm;
using Microsoft.Extensions.Time.Testing;

namespace Baton.Tests.Monitoring;

/// <summary>Issue 15, cost per run over time: baseline, trend, and alerts that say which agent and what grew.</summary>
public class CostAlertTests
{
    private const string Chain = """
        name: digest
        agents:
          fetch:
            prompt: Fetch.
          write:
            prompt: Write.
        """;

    private static string Config(FakeLlmServer llm, string alerts = "") =>
        LlmKit.OpenAiConfig(llm, $"prices:\n  gpt-4o-mini:\n    input: 1\n    output: 1\n{alerts}");

    private static EngineOptions Engine(TimeProvider? clock = null)
    {
        var llm = LlmKit.Engine(LlmKit.Fast() with { Time = clock ?? TimeProvider.System });
        return new EngineOptions
        {
            RetryBaseDelay = llm.RetryBaseDelay,
            KillGrace = llm.KillGrace,
            Runners = llm.Runners,
            Time = clock ?? TimeProvider.System,
            AlertRetryDelay = TimeSpan.FromMilliseconds(10),
        };
    }

    [Fact]
    public async Task RunThreeTimesAsExpensive_RaisesCostSpikeNamingTheAgentAndPromptTokens()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("ok", input: 100, output: 50) };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(llm));
        var engine = Engine();
        for (var i = 0; i < 5; i++)
            Assert.Equal(RunStatus.Succeeded, (await ws.RunAsync(Chain, options: engine)).Outcome.Status);
        Assert.Empty(AlertLog.Read(ws.Root));

        // fetch's reply is the usual; write's prompt grew 7x: the run costs (150 + 750) / 300 = 3x the baseline.
        llm.Then(FakeReply.Text("ok", input: 100, output: 50), FakeReply.Text("ok", input: 700, output: 50));
        var (spiked, outcome) = await ws.RunAsync(Chain, options: engine);
        Assert.Equal(RunStatus.Succeeded, outcome.Status);

        var alert = Assert.Single(AlertLog.Read(ws.Root));
        Assert.Equal("cost_spike", alert.Type);
        Assert.Equal("digest", alert.Chain);
        Assert.Equal(spiked.Id, alert.Run);
        Assert.Equal("write", alert.Agent);
        Assert.Equal("prompt_tokens", alert.Factor);
        Assert.Equal(3.0, alert.Value!.Value / alert.Baseline!.Value, precision: 2);
        Assert.Contains("3× its baseline", alert.Message, StringComparison.Ordinal);

        var listed = await BatonCli.RunAsync(ws.Root, "alerts");
        Assert.Contains("cost_spike", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("agent 'write' grew most: prompt tokens 7×", listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostRisesOverAWeek_RaisesOneCostTrendAlert_NotEveryRun()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("ok", input: 100, output: 0) };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(llm, "alerts:\n  cost_trend: 25%\n"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(10));
        var engine = Engine(clock);
        for (var i = 0; i < 3; i++)
        {
            await ws.RunAsync(Chain, options: engine);
            clock.Advance(TimeSpan.FromHours(6));
        }
        clock.Advance(TimeSpan.FromDays(8));
        llm.Fallback = FakeReply.Text("ok", input: 150, output: 0); // +50 %: a trend, not a spike
        for (var i = 0; i < 4; i++)
        {
            await ws.RunAsync(Chain, options: engine);
            clock.Advance(TimeSpan.FromHours(1));
        }

        var alert = Assert.Single(AlertLog.Read(ws.Root));
        Assert.Equal("cost_trend", alert.Type);
        Assert.Equal("prompt_tokens", alert.Factor);
        Assert.Contains(
            "rose 50%",
            alert.Message.Replace(" %", "%", StringComparison.Ordinal),
            StringComparison.Ordinal
        );
        // raised by the third run of the new week (the first with 3 runs in it), and not again by the fourth
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromHours(2), alert.Time, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task TrendAppearingWithinAMinuteOfTheLastLook_IsRaisedByTheFirstRunAMinuteLater()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("ok", input: 100, output: 0) };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(llm, "alerts:\n  cost_trend: 25%\n"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(10));
        var engine = Engine(clock);
        for (var i = 0; i < 3; i++)
        {
            await ws.RunAsync(Chain, options: engine);
            clock.Advance(TimeSpan.FromHours(6));
        }
        clock.Advance(TimeSpan.FromDays(8));
        llm.Fallback = FakeReply.Text("ok", input: 150, output: 0); // +50 %: a trend, not a spike
        for (var i = 0; i < 3; i++) // the third would show the trend, but the last look was 20 s ago
        {
            await ws.RunAsync(Chain, options: engine);
            clock.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Empty(AlertLog.Read(ws.Root));

        clock.Advance(RunMonitor.TrendEvery);
        await ws.RunAsync(Chain, options: engine);
        var alert = Assert.Single(AlertLog.Read(ws.Root));
        Assert.Equal("cost_trend", alert.Type);
        Assert.Equal(clock.GetUtcNow(), alert.Time, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task AlertWebhook_GetsTheAlertSignedWithTheWorkspaceKey()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("ok", input: 100, output: 50) };
        using var receiver = FakeLlmServer.Listen(out var port);
        var received = new ConcurrentQueue<(string Signature, byte[] Body)>();
        var failFirst = true;
        _ = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                var context = await receiver.GetContextAsync();
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Headers["X-Baton-Signature-256"] ?? "", body.ToArray()));
                context.Response.StatusCode = failFirst ? 503 : 204; // the first delivery fails: it is retried
                failFirst = false;
                context.Response.Close();
            }
        });
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", Config(llm, $"alerts:\n  webhook: http://127.0.0.1:{port}/hook\n"));
        var engine = Engine();
        for (var i = 0; i < 3; i++)
            await ws.RunAsync(Chain, options: engine);
        llm.Then(FakeReply.Text("ok", input: 100, output: 50), FakeReply.Text("ok", input: 1000, output: 50));
        await ws.RunAsync(Chain, options: engine);

        Assert.Equal(2, received.Count);
        var key = (await BatonCli.RunAsync(ws.Root, "alerts", "--signing-key")).Stdout.Trim();
        Assert.Equal(64, key.Length);
        foreach (var (signature, body) in received)
        {
            var expected =
                "sha256="
                + Convert.ToHexStringLower(
                    System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body)
                );
            Assert.Equal(expected, signature);
            Assert.Equal("cost_spike", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        }
        // The key is derived from the master key: no key file in the workspace for an agent to read.
        Assert.False(File.Exists(Path.Combine(ws.Root, ".baton", "alerts-webhook.key")));
        receiver.Stop();
    }
}
