using System.Net;
using System.Text;
using System.Text.Json;
using Baton.Monitoring;
using Baton.Tests.Cli;
using Baton.Workspaces;

namespace Baton.Tests.Monitoring;

/// <summary>Issue 15: `alerts.format: slack` posts a Slack incoming-webhook message, signed like the JSON one.</summary>
public class AlertWebhookFormatTests
{
    [Fact]
    public async Task SlackFormat_PostsATextMessage_WhoseSignatureVerifiesWithTheWorkspaceKey()
    {
        using var receiver = Llm.FakeLlmServer.Listen(out var port);
        var delivery = Task.Run(async () =>
        {
            var context = await receiver.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var signature = context.Request.Headers[AlertWebhook.SignatureHeader] ?? "";
            context.Response.StatusCode = 200;
            context.Response.Close();
            return (signature, body.ToArray());
        });
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", $"alerts:\n  webhook: http://127.0.0.1:{port}/slack\n  format: slack\n");
        var workspace = Workspace.Open(ws.Root);
        var alert = new Alert(DateTimeOffset.UtcNow, "cost_spike", "chain 'digest': run r1 cost $0.9, 3× its baseline")
        {
            Chain = "digest",
        };

        Assert.Null(await AlertWebhook.SendAsync(workspace, alert, TimeSpan.FromMilliseconds(10)));

        var (signature, body) = await delivery;
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(
            $"*Baton alert: cost_spike* (workspace {Path.GetFileName(ws.Root)})\nchain 'digest': run r1 cost $0.9, 3× its baseline",
            json.GetProperty("text").GetString()
        );
        Assert.Single(json.EnumerateObject()); // Slack's incoming webhooks take {"text": …}
        var key = (await BatonCli.RunAsync(ws.Root, "alerts", "--signing-key")).Stdout.Trim();
        var expected =
            "sha256="
            + Convert.ToHexStringLower(
                System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body)
            );
        Assert.Equal(expected, signature);
        receiver.Stop();
    }

    [Fact]
    public void UnknownFormat_IsAConfigError()
    {
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", "alerts:\n  format: teams\n");
        var error = Assert.ThrowsAny<Exception>(() => Workspace.Open(ws.Root));
        Assert.Contains("'alerts.format' must be json or slack, not 'teams'", error.Message, StringComparison.Ordinal);
    }
}
