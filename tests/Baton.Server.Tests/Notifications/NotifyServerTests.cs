using System.Text.Json;
using Baton.Monitoring;
using Baton.Notifications;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Baton.Tests.Notifications;
using static Baton.Server.Tests.Triggers.TriggerTestKit;

namespace Baton.Server.Tests.Notifications;

/// <summary>`notify:` under `baton serve`: a tenant's URL may not reach the server's own network unless the operator allows it.</summary>
public class NotifyServerTests
{
    private static string Chain(string url) =>
        $"name: gated\nnotify:\n  - url: {url}\n    on: [waiting]\n"
        + """
            agents:
              approve: { decision: { show: "Deploy to production?", options: [approve, reject] } }
            """;

    private static async Task<JsonElement> Record(TestServer server, string ws, string run)
    {
        var file = Path.Combine(server.Data.WorkspacePath(ws), "runs", run, RunNotifier.FileName);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(file) || File.ReadAllText(file).Length == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("no delivery was recorded");
            await Task.Delay(50);
        }
        return JsonDocument.Parse(File.ReadAllLines(file)[0]).RootElement;
    }

    [Fact]
    public async Task ByDefault_ALoopbackSinkIsRefused_AndTheRefusalIsRecorded()
    {
        using var sink = new WebhookSink();
        await using var server = await TestServer.StartAsync();
        var ws = UniqueWorkspace("notify");
        using var owner = server.Client(server.Token(ws, Role.Owner));
        (
            await owner.PutAsync($"/api/workspaces/{ws}/chains/gated", TestServer.Yaml(Chain(sink.Url)))
        ).EnsureSuccessStatusCode();

        var start = await owner.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "gated" }));
        var run = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        await TestServer.WaitForStatus(owner, ws, run, "waiting");

        var record = await Record(server, ws, run);
        Assert.False(record.GetProperty("delivered").GetBoolean());
        Assert.Contains("not a public address", record.GetProperty("tries")[0].GetProperty("error").GetString());
        Assert.Empty(sink.Requests);
    }

    [Fact]
    public async Task WhenTheOperatorAllowsIt_TheSinkGetsASignedWaitingPayload_LinkingToTheInbox()
    {
        using var sink = new WebhookSink();
        await using var server = await TestServer.StartAsync(
            settings: new ServerSettings { AllowPrivateNotify = true, PublicUrl = new Uri("https://baton.example.com") }
        );
        var ws = UniqueWorkspace("notify");
        using var owner = server.Client(server.Token(ws, Role.Owner));
        (
            await owner.PutAsync($"/api/workspaces/{ws}/chains/gated", TestServer.Yaml(Chain(sink.Url)))
        ).EnsureSuccessStatusCode();

        var start = await owner.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "gated" }));
        var run = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        var received = await sink.WaitForAsync(1);

        var key = AlertWebhook.SigningKey(server.Host.WorkspaceOf(ws));
        Assert.Equal(AlertWebhook.Sign(key, received.Body), received.Headers[AlertWebhook.SignatureHeader]);
        var decision = JsonDocument.Parse(received.Body).RootElement.GetProperty("decision");
        Assert.Contains("Deploy to production?", decision.GetProperty("text").GetString());
        Assert.Equal($"https://baton.example.com/#/inbox/{run}", decision.GetProperty("link").GetString());
        Assert.True((await Record(server, ws, run)).GetProperty("delivered").GetBoolean());
    }
}
