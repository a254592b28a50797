using System.Net;
using System.Text;
using Baton.Server.Auth;
using Baton.Server.Triggers;
using static Baton.Server.Tests.Triggers.TriggerTestKit;

namespace Baton.Server.Tests.Triggers;

public class WebhookTriggerTests
{
    private const string Secret = "It's a Secret to Everybody";

    private const string Chain = """
        name: on-push
        inputs:
          repo:
          sha:
          first_file: { default: none }
        triggers:
          - webhook: GITHUB_WEBHOOK
            inputs:
              repo: "{{ body.repository.full_name }}"
              sha: "{{ body.head_commit.id }}"
              first_file: "{{ body.head_commit.added.0 }}"
        agents:
          build: { run: 'echo "$BATON_INPUT_REPO@$BATON_INPUT_SHA"' }
        """;

    // The shape GitHub sends for a push (trimmed), signed as GitHub signs it.
    private const string PushPayload = """
        {"ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246",
         "repository":{"id":1296269,"full_name":"octocat/Hello-World","private":false},
         "head_commit":{"id":"7fd1a60b01f91b314f59955a4e4d4e80d8edf11d","message":"Fix all the bugs","added":["README.md"]},
         "pusher":{"name":"octocat"}}
        """;

    private static async Task<(TestServer Server, HttpClient Owner, string Ws)> ServerWithHook()
    {
        var server = await TestServer.StartAsync();
        var ws = UniqueWorkspace("hook");
        var owner = server.Client(server.Token(ws, Role.Owner));
        (
            await owner.PutAsync($"/api/workspaces/{ws}/secrets/GITHUB_WEBHOOK", new StringContent(Secret))
        ).EnsureSuccessStatusCode();
        (
            await owner.PutAsync($"/api/workspaces/{ws}/chains/on-push", TestServer.Yaml(Chain))
        ).EnsureSuccessStatusCode();
        return (server, owner, ws);
    }

    private static HttpRequestMessage GitHubDelivery(string url, string body, string? signature, string delivery)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("User-Agent", "GitHub-Hookshot/044aadd");
        if (signature is not null)
            request.Headers.Add("X-Hub-Signature-256", signature);
        return request;
    }

    [Fact]
    public async Task GitHubPush_WithItsSignature_StartsOneRunWithTheMappedInputs_AndAReplayStartsNothing()
    {
        var (server, owner, ws) = await ServerWithHook();
        await using var _ = server;
        using var __ = owner;
        using var github = server.Client(); // no token: the signature is the credential
        var delivery = Guid.NewGuid().ToString();
        var signature = WebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(PushPayload));

        var first = await github.SendAsync(GitHubDelivery($"/hooks/{ws}/on-push", PushPayload, signature, delivery));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var run = (await TestServer.ReadJson(first)).GetProperty("id").GetString()!;
        await TestServer.WaitForStatus(owner, ws, run, "succeeded");

        var output = await owner.GetStringAsync($"/api/workspaces/{ws}/runs/{run}/agents/build/output");
        Assert.Equal("octocat/Hello-World@7fd1a60b01f91b314f59955a4e4d4e80d8edf11d", output.Trim());
        var inputs = await File.ReadAllTextAsync(
            Path.Combine(server.Data.WorkspacePath(ws), "runs", run, "inputs.json")
        );
        Assert.Contains("\"first_file\": \"README.md\"", inputs);
        Assert.Equal(
            $"webhook delivery {delivery}",
            (await RunStarted(owner, ws, run)).GetProperty("trigger").GetString()
        );

        var replay = await github.SendAsync(GitHubDelivery($"/hooks/{ws}/on-push", PushPayload, signature, delivery));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var again = await TestServer.ReadJson(replay);
        Assert.Equal(run, again.GetProperty("id").GetString());
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Single(await RunIds(owner, ws));
    }

    [Fact]
    public async Task BadOrMissingSignature_KnownOrUnknownNames_AllAnswerTheSame401_AndStartNothing()
    {
        var (server, owner, ws) = await ServerWithHook();
        await using var _ = server;
        using var __ = owner;
        using var caller = server.Client();
        var forged = WebhookSignature.Sign("not the secret", Encoding.UTF8.GetBytes(PushPayload));
        var good = WebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(PushPayload));
        var tampered = PushPayload.Replace("octocat", "mallory", StringComparison.Ordinal);

        var answers = new List<(HttpStatusCode, string)>();
        foreach (
            var (url, body, signature) in new[]
            {
                ($"/hooks/{ws}/on-push", PushPayload, forged),
                ($"/hooks/{ws}/on-push", PushPayload, null),
                ($"/hooks/{ws}/on-push", PushPayload, "sha256=zz"),
                ($"/hooks/{ws}/on-push", tampered, good),
                ($"/hooks/{ws}/no-such-chain", PushPayload, forged),
                ($"/hooks/{ws}/no-such-chain", PushPayload, null),
                ($"/hooks/no-such-ws/on-push", PushPayload, good),
                ($"/hooks/no-such-ws/on-push", PushPayload, forged),
            }
        )
        {
            var response = await caller.SendAsync(GitHubDelivery(url, body, signature, Guid.NewGuid().ToString()));
            answers.Add(
                (response.StatusCode, (await TestServer.ReadJson(response)).GetProperty("detail").GetString()!)
            );
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Item1));
        Assert.Single(answers.Select(a => a.Item2).Distinct());
        Assert.Empty(await RunIds(owner, ws));
    }

    [Fact]
    public async Task GoodSignature_ForAChainWithoutAWebhook_Answers404_AndStartsNothing()
    {
        var (server, owner, ws) = await ServerWithHook();
        await using var _ = server;
        using var __ = owner;
        (
            await owner.PutAsync(
                $"/api/workspaces/{ws}/chains/plain",
                TestServer.Yaml("name: plain\nagents:\n  a: { run: echo a }\n")
            )
        ).EnsureSuccessStatusCode();
        using var caller = server.Client();
        var good = WebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(PushPayload));

        foreach (var chain in new[] { "no-such-chain", "plain" })
        {
            var response = await caller.SendAsync(
                GitHubDelivery($"/hooks/{ws}/{chain}", PushPayload, good, Guid.NewGuid().ToString())
            );
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Empty(await RunIds(owner, ws));
    }

    [Fact]
    public async Task BodyOverTheLimit_Answers413_AndStartsNothing()
    {
        var (server, owner, ws) = await ServerWithHook();
        await using var _ = server;
        using var __ = owner;
        using var caller = server.Client();
        var big = $"{{\"pad\":\"{new string('x', WebhookEndpoint.MaxBodyBytes)}\"}}";

        var response = await caller.SendAsync(
            GitHubDelivery(
                $"/hooks/{ws}/on-push",
                big,
                WebhookSignature.Sign(Secret, Encoding.UTF8.GetBytes(big)),
                Guid.NewGuid().ToString()
            )
        );

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await RunIds(owner, ws));
    }
}
