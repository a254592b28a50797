using System.Net;
using System.Text.Json;
using Baton.Monitoring;
using Baton.Notifications;
using Baton.Runs;
using Baton.Tests.Engine;

namespace Baton.Tests.Notifications;

/// <summary>`notify:` webhooks, against a real HTTP sink on 127.0.0.1 (private addresses allowed, as `baton run` does).</summary>
public class NotifyTests
{
    private static EngineOptions Options() =>
        new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            AlertRetryDelay = TimeSpan.FromMilliseconds(20),
            KillGrace = TimeSpan.FromSeconds(2),
        };

    private static string Review(string url, string extra = "") =>
        $"name: review\nnotify:\n  - url: {url}\n    on: [waiting]{extra}\n"
        + """
            agents:
              draft: { run: echo "release notes v2" }
              approve:
                decision:
                  show: "Ship {{ agents.draft.output }}?"
            """;

    private static List<JsonElement> Records(RunFolder run) =>
        File.Exists(Path.Combine(run.Path, RunNotifier.FileName))
            ?
            [
                .. File.ReadAllLines(Path.Combine(run.Path, RunNotifier.FileName))
                    .Select(l => JsonDocument.Parse(l).RootElement),
            ]
            : [];

    [Fact]
    public async Task WaitingDecision_TheSinkGetsASignedPayloadWithTheCardsText_AndTheDeliveryIsRecorded()
    {
        using var sink = new WebhookSink();
        using var ws = new TestWorkspace();
        var engine = new RunEngine(ws.Workspace, Options());
        var run = await ws.CreateRunAsync(Review(sink.Url));

        var outcome = await engine.RunAsync(run);
        var received = await sink.WaitForAsync(1);

        Assert.Equal(RunStatus.Waiting, outcome.Status);
        var expected = AlertWebhook.Sign(AlertWebhook.SigningKey(ws.Workspace), received.Body);
        Assert.Equal(expected, received.Headers[AlertWebhook.SignatureHeader]);
        Assert.Equal("run.waiting", received.Headers["X-Baton-Event"]);
        var payload = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("waiting", payload.GetProperty("event").GetString());
        Assert.Equal(run.Id, payload.GetProperty("run").GetString());
        var decision = payload.GetProperty("decision");
        Assert.Equal("approve", decision.GetProperty("agent").GetString());
        Assert.Contains("Ship release notes v2", decision.GetProperty("text").GetString());
        Assert.Equal(
            $"baton decide {run.Id} approve approve|reject|changes",
            decision.GetProperty("command").GetString()
        );
        await engine.Notifier.DrainAsync(TimeSpan.FromSeconds(30));
        var record = Assert.Single(Records(run));
        Assert.True(record.GetProperty("delivered").GetBoolean());
        Assert.Equal("127.0.0.1", record.GetProperty("host").GetString());
        Assert.DoesNotContain("/hook", record.ToString()); // the URL's path (often the secret) is not kept
    }

    [Fact]
    public async Task FailedRun_AFailingSinkIsTriedAgainWithBackoff_UntilItTakesIt()
    {
        using var sink = new WebhookSink();
        sink.Statuses.Enqueue(500);
        sink.Statuses.Enqueue(503);
        using var ws = new TestWorkspace();
        var engine = new RunEngine(ws.Workspace, Options());
        var run = await ws.CreateRunAsync(
            $"name: boom\nnotify:\n  - url: {sink.Url}\n    on: failed\nagents:\n  a: {{ run: 'exit 3' }}\n"
        );

        var outcome = await engine.RunAsync(run);
        await engine.Notifier.DrainAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(3, sink.Requests.Count);
        Assert.Equal(
            "failed",
            JsonDocument.Parse(sink.Requests.Last().Body).RootElement.GetProperty("status").GetString()
        );
        var record = Assert.Single(Records(run));
        Assert.True(record.GetProperty("delivered").GetBoolean());
        Assert.Equal(
            [500, 503, 200],
            record.GetProperty("tries").EnumerateArray().Select(t => t.GetProperty("status").GetInt32())
        );
    }

    [Fact]
    public async Task SlowSink_NeverHoldsTheRunUp()
    {
        using var sink = new WebhookSink();
        var release = sink.HoldAnswers();
        using var ws = new TestWorkspace();
        var engine = new RunEngine(ws.Workspace, Options());
        var run = await ws.CreateRunAsync(
            $"name: quick\nnotify:\n  - url: {sink.Url}\nagents:\n  a: {{ run: echo a }}\n  b: {{ run: echo b }}\n"
        );

        var outcome = await engine.RunAsync(run);
        await sink.WaitForAsync(1);

        Assert.Equal(RunStatus.Succeeded, outcome.Status); // finished while its notification is still unanswered
        Assert.Empty(Records(run));
        release.SetResult();
        await engine.Notifier.DrainAsync(TimeSpan.FromSeconds(30));
        Assert.True(Assert.Single(Records(run)).GetProperty("delivered").GetBoolean());
    }

    [Fact]
    public async Task SlackFormat_SendsOneTextWithTheDecision()
    {
        using var sink = new WebhookSink();
        using var ws = new TestWorkspace();
        var engine = new RunEngine(ws.Workspace, Options());
        var run = await ws.CreateRunAsync(Review(sink.Url, "\n    format: slack"));

        await engine.RunAsync(run);
        var received = await sink.WaitForAsync(1);

        var payload = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(["text"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Contains("waiting for a decision at *approve*", payload.GetProperty("text").GetString());
        Assert.Contains("Ship release notes v2", payload.GetProperty("text").GetString());
    }

    [Fact]
    public async Task WithoutPrivateAddresses_ALoopbackSinkIsRefused_ByNameToo_AndNothingIsSent()
    {
        using var sink = new WebhookSink();
        using var ws = new TestWorkspace();
        var engine = new RunEngine(
            ws.Workspace,
            new EngineOptions { AllowPrivateWebhooks = false, AlertRetryDelay = TimeSpan.FromMilliseconds(20) }
        );
        // `localhost` is resolved and judged by the address connected to, not by how the URL spells it.
        var run = await ws.CreateRunAsync(
            $"name: sneaky\nnotify:\n  - url: http://localhost:{sink.Port}/hook\n  - url: {sink.Url}\nagents:\n  a: {{ run: echo a }}\n"
        );

        await engine.RunAsync(run);
        await engine.Notifier.DrainAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(sink.Requests);
        var records = Records(run);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.False(r.GetProperty("delivered").GetBoolean()));
        Assert.All(records, r =>
            Assert.Contains("not a public address", r.GetProperty("tries")[0].GetProperty("error").GetString())
        );
        Assert.All(records, r => Assert.Equal(1, r.GetProperty("tries").GetArrayLength())); // refused: not retried
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true)]
    public void OnlyPublicAddresses_ArePublic(string address, bool expected) =>
        Assert.Equal(expected, WebhookHttp.IsPublic(IPAddress.Parse(address)));
}
