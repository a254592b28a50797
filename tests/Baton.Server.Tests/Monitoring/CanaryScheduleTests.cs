using Baton.Server.Auth;
using Baton.Server.Hosting;
using Baton.Tests.Llm;
using Microsoft.Extensions.Time.Testing;

namespace Baton.Server.Tests.Monitoring;

/// <summary>Issue 15, prompt drift: the server runs a chain's canary on its cron schedule and raises the drift alert.</summary>
public class CanaryScheduleTests
{
    private static readonly DateTimeOffset Morning0559 = new(2026, 12, 7, 5, 59, 0, TimeSpan.Zero);

    [Fact]
    public async Task CanaryOnItsSchedule_RunsTheCases_AndTheDayTheRepliesChange_RaisesModelDrift()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("Paris is the capital of France.") };
        var clock = new FakeTimeProvider(Morning0559);
        await using var server = await TestServer.StartAsync(settings: new ServerSettings { Time = clock });
        var model = $"model-{Guid.NewGuid():N}"[..20];
        var (client, ws) = await TelemetryTests.WorkspaceWithChain(
            server,
            llm,
            model,
            """
            name: capital
            canary: "0 6 * * *"
            agents:
              answer:
                prompt: What is the capital of France?
            """
        );
        var root = server.Data.WorkspacePath(ws);
        Directory.CreateDirectory(Path.Combine(root, "tests"));
        File.WriteAllText(
            Path.Combine(root, "tests", "capital.yaml"),
            "tests:\n  - description: france\n    assert:\n      - {type: icontains, value: paris}\n"
        );
        var canaries = Path.Combine(root, ".baton", "canary", "capital.jsonl");

        clock.Advance(Baton.Server.Monitoring.CanarySchedule.Tick); // 05:59:10: the canary is seen, not due
        Assert.False(File.Exists(canaries));
        clock.Advance(TimeSpan.FromMinutes(1)); // past 06:00
        await WaitFor(() => File.Exists(canaries) && File.ReadAllLines(canaries).Length == 1);

        llm.Fallback = FakeReply.Text("I cannot answer questions about geography.");
        clock.Advance(TimeSpan.FromDays(1));
        await WaitFor(() => File.ReadAllLines(canaries).Length == 2);
        var alerts = await WaitForAlert(client, ws);
        Assert.Contains("the model's behaviour changed", alerts, StringComparison.Ordinal);
        Assert.Contains("I cannot answer", alerts, StringComparison.Ordinal);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !condition(); await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, "the canary did not run within 60 s");
    }

    private static async Task<string> WaitForAlert(HttpClient client, string ws)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(50))
        {
            var text = await client.GetStringAsync($"/api/workspaces/{ws}/alerts");
            if (text.Contains("model_drift", StringComparison.Ordinal))
                return text;
            Assert.True(DateTime.UtcNow < deadline, $"no model_drift alert within 60 s: {text}");
        }
    }
}
