using System.Net;
using System.Text.Json;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

/// <summary>
/// The inbox and the runs list as the web UI polls them: a waiting run is read once per change (RunViews), so each
/// poll must still show the run as it is now — the next round, the answer taken — and the badge's count agree.
/// </summary>
public class InboxPollTests
{
    [Fact]
    public async Task AWaitingRun_IsShownAsItIsNow_RoundByRound_AndTheCountAgrees()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var id = await DecisionFlowTests.StartReviewRun(owner);

        // Polled twice, as the inbox does: the second answer is the remembered one and must be the same.
        var first = Assert.Single(await Cards(owner));
        Assert.Equal(first.ToString(), Assert.Single(await Cards(owner)).ToString());
        Assert.Equal(1, first.GetProperty("round").GetInt32());
        Assert.Contains("draft 1", first.GetProperty("shown").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await Count(owner));
        Assert.Equal("waiting", Assert.Single(await Listed(owner, "waiting")).GetProperty("status").GetString());

        var changes = await TestServer.Decide(owner, "default", id, "review", "changes", "shorter");
        Assert.Equal(HttpStatusCode.OK, changes.StatusCode);

        // The run moves on (draft again, then the review's round 2) by new events: each poll sees where it is.
        JsonElement second;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "the inbox never showed round 2");
            if (
                (await Cards(owner)).SingleOrDefault() is { ValueKind: JsonValueKind.Object } card
                && card.GetProperty("round").GetInt32() == 2
            )
            {
                second = card;
                break;
            }
        }
        Assert.Contains("feedback: shorter", second.GetProperty("shown").GetString(), StringComparison.Ordinal);
        Assert.Contains("draft 1", second.GetProperty("previous_shown").GetString(), StringComparison.Ordinal);
        Assert.Equal("shorter", second.GetProperty("last_comment").GetString());
        Assert.NotEqual(first.GetProperty("shown_hash").GetString(), second.GetProperty("shown_hash").GetString());
        Assert.Equal(1, await Count(owner));
        var listed = Assert.Single(await Listed(owner, "waiting"));
        Assert.Equal(2, listed.GetProperty("agents").GetProperty("review").GetProperty("attempts").GetInt32());

        var approve = await TestServer.Decide(owner, "default", id, "review", "approve");
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        await TestServer.WaitForStatus(owner, "default", id, "succeeded");
        Assert.Empty(await Cards(owner));
        Assert.Equal(0, await Count(owner));
        Assert.Empty(await Listed(owner, "waiting"));
    }

    [Fact]
    public async Task TheCount_IsEveryWaitingDecision_OfThisWorkspaceOnly()
    {
        await using var server = await TestServer.StartAsync();
        server.Data.CreateWorkspace("other");
        using var owner = server.Client(server.Token("default", Role.Owner));
        using var viewer = server.Client(server.Token("default", Role.Viewer));
        using var stranger = server.Client(server.Token("other", Role.Owner));
        Assert.Equal(0, await Count(viewer));

        await DecisionFlowTests.StartReviewRun(owner);
        await DecisionFlowTests.StartReviewRun(owner);

        Assert.Equal(2, await Count(viewer)); // a viewer sees the badge, as it sees the cards
        Assert.Equal((await Cards(viewer)).Count, await Count(viewer));
        Assert.Equal(0, await Count(stranger, "other"));
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await stranger.GetAsync("/api/workspaces/default/decisions/count")).StatusCode
        );
    }

    private static async Task<List<JsonElement>> Cards(HttpClient client) =>
        [.. (await TestServer.ReadJson(await client.GetAsync("/api/workspaces/default/decisions"))).EnumerateArray()];

    private static async Task<int> Count(HttpClient client, string ws = "default") =>
        (await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/decisions/count")))
            .GetProperty("pending")
            .GetInt32();

    private static async Task<List<JsonElement>> Listed(HttpClient client, string status) =>
        [
            .. (
                await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/default/runs?status={status}"))
            ).EnumerateArray(),
        ];
}
