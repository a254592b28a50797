using System.Net;
using Baton.Agents;
using Baton.Chains;
using Baton.Providers;
using Baton.Server.Auth;
using Baton.Tests.Llm;

namespace Baton.Server.Tests.Monitoring;

/// <summary>Issue 15: the health, alerts and cost-history endpoints, from a real server's runs against a failing provider.</summary>
public class MonitoringApiTests
{
    private const string Ask = """
        name: ask
        agents:
          ask:
            prompt: Hello?
        """;

    [Fact]
    public async Task ProviderFailsThroughTheServer_HealthAndAlertsShowIt_OnlyToItsWorkspace()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Error(503, "overloaded") };
        var model = $"model-{Guid.NewGuid():N}"[..20];
        var runners = new Dictionary<AgentKind, IAgentRunner>
        {
            [AgentKind.Prompt] = new PromptAgent(
                new ProviderOptions { MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(5) }
            ),
        };
        await using var server = await TestServer.StartAsync(settings: new() { Runners = runners });
        var (client, ws) = await TelemetryTests.WorkspaceWithChain(server, llm, model, Ask);
        for (var i = 0; i < 3; i++)
            await TestServer.WaitForStatus(client, ws, await TelemetryTests.StartRun(client, ws, "ask"), "failed");

        var health = await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/health"));
        var row = Assert.Single(health.GetProperty("models").EnumerateArray());
        Assert.Equal(model, row.GetProperty("model").GetString());
        Assert.Equal(3, row.GetProperty("failed_calls").GetInt32());
        Assert.Equal(6, row.GetProperty("errors").GetProperty("server_error").GetInt32());
        Assert.Equal(1.0, row.GetProperty("error_rate").GetDouble());
        Assert.Contains(health.GetProperty("alerts").EnumerateArray(), a =>
            a.GetProperty("type").GetString() == "error_rate"
        );

        // Raised at the end of the runs too (once: the same condition is not repeated while it lasts). The
        // monitor looks at a run after its run.finished is written, so the third run can read as failed a
        // moment before its alert lands: wait for it (bounded) rather than race it.
        var alerts = await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/alerts"));
        for (
            var deadline = DateTime.UtcNow.AddSeconds(30);
            alerts.GetArrayLength() == 0 && DateTime.UtcNow < deadline;

        )
        {
            await Task.Delay(50);
            alerts = await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/alerts"));
        }
        var alert = Assert.Single(alerts.EnumerateArray(), a => a.GetProperty("type").GetString() == "error_rate");
        Assert.Equal(model, alert.GetProperty("model").GetString());
        Assert.Contains("6 server_error", alert.GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await client.GetAsync($"/api/workspaces/{ws}/health?window=forever")).StatusCode
        );
        var other = $"mon-{Guid.NewGuid().ToString("N")[..8]}";
        using var outsider = server.Client(server.Token(other, Role.Owner));
        foreach (var path in new[] { "health", "alerts", "cost-history" })
        {
            var refused = await outsider.GetAsync($"/api/workspaces/{ws}/{path}");
            Assert.True(refused.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, path);
            Assert.DoesNotContain(model, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await server.Client().GetAsync($"/api/workspaces/{ws}/health")).StatusCode
        );
    }

    [Fact]
    public async Task BreakerOpens_HealthShowsItLive_ToItsWorkspaceOnly_NotToAnotherWithTheSameAlias()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Error(503, "overloaded") };
        using var elsewhere = new FakeLlmServer();
        var model = $"model-{Guid.NewGuid():N}"[..20];
        var runners = new Dictionary<AgentKind, IAgentRunner>
        {
            [AgentKind.Prompt] = new PromptAgent(
                new ProviderOptions
                {
                    MaxRetries = 1,
                    RetryBaseDelay = TimeSpan.FromMilliseconds(5),
                    BreakAfterFailures = 2,
                }
            ),
        };
        await using var server = await TestServer.StartAsync(settings: new() { Runners = runners });
        var (client, ws) = await TelemetryTests.WorkspaceWithChain(server, llm, model, Ask);
        var (otherClient, other) = await TelemetryTests.WorkspaceWithChain(server, elsewhere, model, Ask);

        var before = await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/health"));
        Assert.Empty(before.GetProperty("breakers").EnumerateArray());
        await TestServer.WaitForStatus(client, ws, await TelemetryTests.StartRun(client, ws, "ask"), "failed");

        var health = await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/health"));
        var breaker = Assert.Single(health.GetProperty("breakers").EnumerateArray());
        Assert.Equal("default", breaker.GetProperty("provider").GetString());
        Assert.Equal("open", breaker.GetProperty("state").GetString());
        // The other workspace calls its provider "default" too, at another address: not its breaker.
        var theirs = await TestServer.ReadJson(await otherClient.GetAsync($"/api/workspaces/{other}/health"));
        Assert.Empty(theirs.GetProperty("breakers").EnumerateArray());
    }
}
