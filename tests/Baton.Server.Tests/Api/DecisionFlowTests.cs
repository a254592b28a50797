using System.Net;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public class DecisionFlowTests
{
    internal const string ReviewChain = """
        name: review
        agents:
          draft:
            run: |
              echo "draft $BATON_ATTEMPT"
              if [ -n "${BATON_FEEDBACK:-}" ]; then echo "feedback: $BATON_FEEDBACK"; fi
          review:
            decision:
              show: "{{ agents.draft.output }}"
              on_changes: draft
          publish:
            run: echo published
        """;

    internal static async Task<string> StartReviewRun(HttpClient client, string ws = "default")
    {
        var put = await client.PutAsync($"/api/workspaces/{ws}/chains/review", TestServer.Yaml(ReviewChain));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var start = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "review" }));
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var id = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        await TestServer.WaitForStatus(client, ws, id, "waiting");
        return id;
    }

    [Fact]
    public async Task DecisionTimeout_WakesTheParkedRun_AndItsDefaultIsTaken()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        const string chain = """
            name: timed
            agents:
              review:
                decision:
                  show: ship it?
                  options: [approve, reject]
                  timeout: 2s
                  default: approve
              publish:
                run: echo published
            """;
        var put = await owner.PutAsync("/api/workspaces/default/chains/timed", TestServer.Yaml(chain));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var start = await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "timed" }));
        var id = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        await TestServer.WaitForStatus(owner, "default", id, "waiting"); // parked: no engine until the deadline

        // Nobody answers: the host wakes the run at the deadline the engine handed it, and the default is taken.
        var done = await TestServer.WaitForStatus(owner, "default", id, "succeeded");
        Assert.Equal("done", done.GetProperty("agents").GetProperty("publish").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ParkedRun_HostKeepsItsWaitingDecision_UntilTheAnswerLaunchesIt()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var id = await StartReviewRun(owner);
        var card = Assert.Single(
            (await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/decisions"))).EnumerateArray()
        );

        // Parked once its engine has returned (the status says waiting a moment before).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Host.ParkedDecisions("default", id) is null && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        var kept = server.Host.ParkedDecisions("default", id);
        Assert.NotNull(kept);
        Assert.Equal(card.GetProperty("shown_hash").GetString(), Assert.Single(kept.Agents).Value.ShownHash);
        Assert.Null(server.Host.ParkedDecisions("other", id)); // kept per workspace

        var approve = await owner.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "approve", shown_hash = card.GetProperty("shown_hash").GetString() })
        );
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        await TestServer.WaitForStatus(owner, "default", id, "succeeded");
        Assert.Null(server.Host.ParkedDecisions("default", id));

        // Handed to the engine that resumed it, not through an inbox file: nothing was written, taken or deleted there.
        var run = Runs.RunFolder.Find(Path.Combine(server.Data.WorkspacePath("default"), "runs"), id);
        var decided = Assert.Single(Events.EventReader.ReadAll(run.Events), e => e.Type == "review.decided");
        Assert.StartsWith("api/", decided.Source);
        Assert.Empty(Directory.EnumerateFiles(run.Inbox, "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(run.Inbox, Runs.Inbox.TakenFolder)));
    }

    [Fact]
    public async Task AnAnswerForARunThatIsNotParked_GoesThroughItsInbox()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        // The decision waits while another agent still runs (until the test lets it end): the engine holds the run.
        var release = Path.Combine(server.DataPath, "release");
        var put = await owner.PutAsync(
            "/api/workspaces/default/chains/busy",
            TestServer.Yaml(
                $$"""
                name: busy
                agents:
                  slow: { needs: [], run: "while [ ! -e '{{release}}' ]; do sleep 0.05; done" }
                  review: { needs: [], decision: { show: ship it? } }
                """
            )
        );
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var start = await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "busy" }));
        var id = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        var run = Runs.RunFolder.Find(Path.Combine(server.Data.WorkspacePath("default"), "runs"), id);
        string? hash = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); hash is null; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "the review never waited");
            hash = Runs.RunState.Fold(Events.EventReader.ReadAll(run.Events)).Agent("review").ShownHash;
        }
        Assert.Null(server.Host.ParkedDecisions("default", id));

        var approve = await owner.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "approve", shown_hash = hash })
        );
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        File.WriteAllText(release, "");
        await TestServer.WaitForStatus(owner, "default", id, "succeeded");
        var decided = Assert.Single(Events.EventReader.ReadAll(run.Events), e => e.Type == "review.decided");
        Assert.StartsWith("inbox/.taken/", decided.Source);
    }

    [Fact]
    public async Task AnAnswerToAParkedRun_WaitingForItsTurn_IsTakenWhenTheRunIsAdmitted()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var id = await StartReviewRun(owner); // parked: a paused run does not count against the limit
        File.WriteAllText(
            Path.Combine(server.Data.WorkspacePath("default"), "baton.yaml"),
            "limits:\n  max_concurrent_runs: 1\n"
        );
        var release = Path.Combine(server.DataPath, "release");
        await owner.PutAsync(
            "/api/workspaces/default/chains/hold",
            TestServer.Yaml(
                $"name: hold\nagents:\n  wait:\n    run: \"while [ ! -e '{release}' ]; do sleep 0.05; done\"\n"
            )
        );
        var holder = await owner.PostAsync("/api/workspaces/default/runs", TestServer.Json(new { chain = "hold" }));
        var holderId = (await TestServer.ReadJson(holder)).GetProperty("id").GetString()!;
        await TestServer.WaitForStatus(owner, "default", holderId, "running");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Host.ParkedDecisions("default", id) is null && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        var card = Assert.Single(
            (await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/decisions"))).EnumerateArray()
        );

        // Handed over, then queued behind the holder: the answer waits with the launch instead of being lost.
        var approve = owner.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "approve", shown_hash = card.GetProperty("shown_hash").GetString() })
        );
        for (deadline = DateTime.UtcNow.AddSeconds(30); server.Host.ParkedDecisions("default", id) is not null; )
        {
            Assert.True(DateTime.UtcNow < deadline, "the answer never took the parked run");
            await Task.Delay(20);
        }
        Assert.Null(server.Host.ActiveTask("default", id)); // queued: no engine runs it yet
        Assert.False(approve.IsCompleted);
        File.WriteAllText(release, "");

        Assert.Equal(HttpStatusCode.OK, (await approve).StatusCode);
        await TestServer.WaitForStatus(owner, "default", id, "succeeded");
        var run = Runs.RunFolder.Find(Path.Combine(server.Data.WorkspacePath("default"), "runs"), id);
        Assert.StartsWith(
            "api/",
            Assert.Single(Events.EventReader.ReadAll(run.Events), e => e.Type == "review.decided").Source
        );
    }

    [Fact]
    public async Task AHandedAnswer_IsCheckedLikeAFile_AndASecondOneFindsTheRunNoLongerParked()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var id = await StartReviewRun(owner);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Host.ParkedDecisions("default", id) is null && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        var run = Runs.RunFolder.Find(Path.Combine(server.Data.WorkspacePath("default"), "runs"), id);
        Runs.Inbox.Item Answer(string json) =>
            Runs.Inbox.Handed(
                "review.decided",
                "review",
                System.Text.Json.JsonDocument.Parse(json).RootElement,
                Runs.DecisionInbox.InboxFileName("review"),
                DateTimeOffset.UtcNow
            );

        Assert.True(
            server.Host.TryResumeWith("default", run, Answer("""{"decision":"approve","shown_hash":"stale"}"""))
        );
        Assert.False(server.Host.TryResumeWith("default", run, Answer("""{"decision":"approve"}"""))); // taken

        // The engine refuses it as it would the same file (a card not shown) and parks the run again, still waiting.
        for (
            deadline = DateTime.UtcNow.AddSeconds(30);
            server.Host.ParkedDecisions("default", id) is null;
            await Task.Delay(20)
        )
            Assert.True(DateTime.UtcNow < deadline, "not parked again");
        var events = Events.EventReader.ReadAll(run.Events);
        Assert.StartsWith("api/", Assert.Single(events, e => e.Type == "inbox.rejected").Source);
        Assert.DoesNotContain(events, e => e.Type == "review.decided");
    }

    [Fact]
    public async Task Decide_Approve_FinishesTheRun_AndSecondAnswerGets409()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var id = await StartReviewRun(owner);

        async Task<string?> ListedStatus() =>
            (await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/runs")))
                .EnumerateArray()
                .Single(r => r.GetProperty("id").GetString() == id)
                .GetProperty("status")
                .GetString();
        Assert.Equal("waiting", await ListedStatus()); // listed (and so read) while waiting: only finished runs are remembered
        var cards = await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/decisions"));
        var card = Assert.Single(cards.EnumerateArray());
        Assert.Equal(id, card.GetProperty("run").GetString());
        Assert.Equal("draft 1\n", card.GetProperty("shown").GetString());

        var approve = await owner.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(
                new
                {
                    decision = "approve",
                    comment = "lgtm",
                    shown_hash = card.GetProperty("shown_hash").GetString(),
                }
            )
        );
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var run = await TestServer.WaitForStatus(owner, "default", id, "succeeded");
        Assert.Equal("done", run.GetProperty("agents").GetProperty("publish").GetProperty("status").GetString());
        Assert.Equal("succeeded", await ListedStatus());

        var again = await owner.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "reject", shown_hash = card.GetProperty("shown_hash").GetString() })
        );
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Empty(
            (await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/decisions"))).EnumerateArray()
        );
    }

    [Fact]
    public async Task TwoReviewersAtOnce_ExactlyOneWins_TheOtherGets409()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        using var ann = server.Client(server.Token("default", Role.Reviewer));
        using var bob = server.Client(server.Token("default", Role.Reviewer));
        var id = await StartReviewRun(owner);

        var shown = await TestServer.ShownHash(ann, "default", id, "review");
        var answers = await Task.WhenAll(
            ann.PostAsync(
                $"/api/workspaces/default/runs/{id}/decisions/review",
                TestServer.Json(new { decision = "approve", shown_hash = shown })
            ),
            bob.PostAsync(
                $"/api/workspaces/default/runs/{id}/decisions/review",
                TestServer.Json(new { decision = "reject", shown_hash = shown })
            )
        );

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var winner = answers[0].StatusCode == HttpStatusCode.OK ? "succeeded" : "rejected";
        await TestServer.WaitForStatus(owner, "default", id, winner);
    }

    [Fact]
    public async Task Changes_RerunsTheDraftWithTheComment_AndTheNextCardHasThePreviousRound()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var id = await StartReviewRun(owner);

        var changes = await TestServer.Decide(owner, "default", id, "review", "changes", "cite sources");
        Assert.Equal(HttpStatusCode.OK, changes.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        System.Text.Json.JsonElement card;
        while (true)
        {
            var cards = (await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/decisions")))
                .EnumerateArray()
                .ToList();
            if (cards.Count == 1 && cards[0].GetProperty("round").GetInt32() == 2)
            {
                card = cards[0];
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "round 2 never came");
            await Task.Delay(50);
        }
        Assert.Equal("draft 2\nfeedback: cite sources\n", card.GetProperty("shown").GetString());
        Assert.Equal("draft 1\n", card.GetProperty("previous_shown").GetString());
        Assert.Equal("cite sources", card.GetProperty("last_comment").GetString());
        var output = await owner.GetStringAsync($"/api/workspaces/default/runs/{id}/agents/draft/output");
        Assert.Contains("feedback: cite sources", output);
    }

    [Fact]
    public async Task ChangesWithoutComment_IsABadRequest()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var id = await StartReviewRun(owner);
        var answer = await owner.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "changes" })
        );
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Fact]
    public async Task DecidingWithoutShownHash_IsABadRequest_SayingWhereToGetIt_AndTheRunKeepsWaiting()
    {
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("default", Role.Owner));
        var id = await StartReviewRun(owner);

        var answer = await owner.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "approve" })
        );

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("'shown_hash' is required", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(
            "waiting",
            (await TestServer.WaitForStatus(owner, "default", id, "waiting")).GetProperty("status").GetString()
        );
        var stale = await owner.PostAsync(
            $"/api/workspaces/default/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "approve", shown_hash = "sha256:0000" })
        );
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
    }

    [Fact]
    public async Task AStoppedServer_NoLongerWakesItsPausedRuns_TheNextOneDoes()
    {
        var dataPath = TestServer.NewDataPath();
        string id,
            token;
        Runs.RunFolder run;
        await using (var first = await TestServer.StartAsync(dataPath))
        {
            token = first.Token("default", Role.Owner);
            using var owner = first.Client(token);
            id = await StartReviewRun(owner);
            run = Runs.RunFolder.Find(Path.Combine(first.Data.WorkspacePath("default"), "runs"), id);
        }

        // An answer lands while no server runs (a `baton decide --no-resume`): the stopped host must not act on it.
        // It could only through a watch on the run's inbox: its engine's (gone once it let go of the run's lock)
        // or the host's for the paused run, which a stopped host has none of.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); Runs.RunLock.IsHeld(run.LockFile); await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, "the stopped server's engine never let go of the run");
        Assert.False(Runs.InboxWatcher.Shared.IsWatched(run.Inbox));
        await Runs.DecisionInbox.WriteAsync(
            run,
            Runs.DecisionInbox.Prepare(run, "review", Events.Decision.Approve, "", "someone", Runs.Answerer.Reviewer)
        );
        Assert.DoesNotContain(Events.EventReader.ReadAll(run.Events), e => e.Type == "review.decided");

        await using var second = await TestServer.StartAsync(dataPath);
        using var client = second.Client(token);
        await TestServer.WaitForStatus(client, "default", id, "succeeded");
    }
}
