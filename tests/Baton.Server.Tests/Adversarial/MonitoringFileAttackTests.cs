using System.Net;
using Baton.Server.Tests.Monitoring;
using Baton.Tests.Llm;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// Issue 15 item 1: root appends the workspace's monitoring files (.baton/llm-calls/DAY.jsonl,
/// .baton/cost-history/CHAIN.jsonl, .baton/alerts.jsonl) on every run. A tenant who plants a link at one of
/// them must not make root write (or read back) a file outside the workspace; the runs still succeed.
/// </summary>
public class MonitoringFileAttackTests
{
    private const string Ask = """
        name: ask
        agents:
          ask:
            prompt: Hello?
        """;

    [Theory]
    [InlineData(".baton/llm-calls", "folder")]
    [InlineData(".baton/cost-history", "folder")]
    [InlineData(".baton/alerts.jsonl", "file")]
    [InlineData(".baton/llm-calls/{today}.jsonl", "file")]
    [InlineData(".baton/cost-history/ask.jsonl", "file")]
    public async Task MonitoringFileLinkedOutside_RootWritesNothingThere_AndTheRunsSucceed(string planted, string kind)
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("ok", input: 100, output: 50) };
        var model = $"model-{Guid.NewGuid():N}"[..20];
        await using var server = await TestServer.StartAsync();
        var (client, ws) = await TelemetryTests.WorkspaceWithChain(server, llm, model, Ask);
        var root = server.Data.WorkspacePath(ws);
        var outside = Directory.CreateTempSubdirectory("baton-adv-monitoring-").FullName;
        try
        {
            var target = Path.Combine(outside, "root-only");
            if (kind == "folder")
                Directory.CreateDirectory(target);
            else
                File.WriteAllText(target, "root's own\n");
            var relative = planted.Replace("{today}", DateTime.UtcNow.ToString("yyyy-MM-dd"));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, relative))!);
            File.CreateSymbolicLink(Path.Combine(root, relative), target);
            var before = Tenants.Snapshot(outside);

            // Three ordinary runs, then one seven times as expensive: a cost alert is due.
            for (var i = 0; i < 4; i++)
            {
                if (i == 3)
                    llm.Then(FakeReply.Text("ok", input: 700, output: 350));
                var id = await TelemetryTests.StartRun(client, ws, "ask");
                await TestServer.WaitForStatus(client, ws, id, "succeeded");
            }

            Tenants.AssertUnchanged(before, outside, $"after runs with {relative} linked outside");
            Assert.False(File.Exists(Path.Combine(root, ".baton", "alerts-webhook.key")));
            // What reads the linked file answers 409 (a link is in the way), never what is behind it.
            var endpoint = relative switch
            {
                _ when relative.Contains("llm-calls") => "health",
                _ when relative.Contains("cost-history") => "cost-history",
                _ => "alerts",
            };
            var answer = await client.GetAsync($"/api/workspaces/{ws}/{endpoint}");
            if (planted != ".baton/cost-history/ask.jsonl") // a linked chain file is not listed at all
                Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            Assert.DoesNotContain("root's own", await answer.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
