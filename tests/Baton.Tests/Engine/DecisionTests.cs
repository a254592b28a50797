using Baton.Events;
using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class DecisionTests
{
    private const string Chain = """
        name: review
        agents:
          draft:
            run: |
              echo "draft $BATON_ATTEMPT"
              if [ -n "${BATON_FEEDBACK:-}" ]; then echo "feedback: $BATON_FEEDBACK"; fi
          review:
            decision:
              show: "Review: {{ agents.draft.output }}"
              max_rounds: 2
          publish:
            run: cp "$BATON_OUT_DRAFT" "$BATON_RUN_DIR/published"
        """;

    private static async Task<RunOutcome> Decide(
        TestWorkspace ws,
        RunFolder run,
        string decision,
        string comment = "",
        string? hash = null
    )
    {
        var state = RunState.Fold(EventReader.ReadAll(run.Events));
        await InboxWriter.WriteAsync(
            run.Inbox,
            "review.decided",
            new DecisionAnswer(decision, comment, "tester", null, hash ?? state.Agent("review").ShownHash).ToData()
        );
        return await new RunEngine(ws.Workspace, TestWorkspace.FastOptions())
            .RunAsync(run)
            .WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Decision_ParksTheRun_WithWhatWasShownOnDisk()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(Chain);

        Assert.Equal(RunStatus.Waiting, outcome.Status);
        Assert.Equal("Review: draft 1\n", File.ReadAllText(Path.Combine(run.AgentDir("review"), "shown.md")));
        var waiting = TestWorkspace.Events(run)[^1];
        Assert.Equal("review.waiting", waiting.Type);
        Assert.Equal(RunLoop.ShownHash("Review: draft 1\n"), waiting.GetString("shown_hash"));
        Assert.False(RunLock.IsHeld(run.LockFile), "a paused run has no engine");
    }

    [Fact]
    public async Task Approve_FinishesTheRun()
    {
        using var ws = new TestWorkspace();
        var (run, _) = await ws.RunAsync(Chain);
        var outcome = await Decide(ws, run, "approve", "ship it");

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var decided = TestWorkspace.Events(run).Single(e => e.Type == "review.decided");
        Assert.Equal("approve", decided.GetString("decision"));
        Assert.Equal("tester", decided.GetString("by"));
        Assert.Equal("ship it", decided.GetString("comment"));
        Assert.Contains("review.done", TestWorkspace.Types(run));
        Assert.True(File.Exists(Path.Combine(run.Path, "published")));
    }

    [Fact]
    public async Task Reject_EndsRejected_AndSkipsWhatFollows()
    {
        using var ws = new TestWorkspace();
        var (run, _) = await ws.RunAsync(Chain);
        var outcome = await Decide(ws, run, "reject");

        Assert.Equal(RunStatus.Rejected, outcome.Status);
        Assert.Contains("review.rejected", TestWorkspace.Types(run));
        Assert.Contains("publish.skipped", TestWorkspace.Types(run));
    }

    [Fact]
    public async Task Reject_HandledByAnOnAgent_IsNotARejectedRun()
    {
        using var ws = new TestWorkspace();
        var (run, _) = await ws.RunAsync(
            Chain
                + """

                  tell:
                    on: [review.rejected]
                    run: echo "told the author"
                """
        );
        var outcome = await Decide(ws, run, "reject");

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Contains("tell.done", TestWorkspace.Types(run));
    }

    [Fact]
    public async Task Changes_RerunTheDraftWithFeedback_ThenAskAgain_UpToMaxRounds()
    {
        using var ws = new TestWorkspace();
        var (run, _) = await ws.RunAsync(Chain);

        var second = await Decide(ws, run, "changes", "more detail; $(rm -rf /)");
        Assert.Equal(RunStatus.Waiting, second.Status);
        Assert.Equal("draft 2\nfeedback: more detail; $(rm -rf /)\n", File.ReadAllText(run.AgentOutput("draft")));
        Assert.Contains("feedback: more detail", File.ReadAllText(Path.Combine(run.AgentDir("review"), "shown.md")));
        var waiting = TestWorkspace.Events(run).Last(e => e.Type == "review.waiting");
        Assert.Equal(2, waiting.Attempt);
        Assert.DoesNotContain(
            "changes",
            waiting.Data!.Value.GetProperty("options").EnumerateArray().Select(o => o.GetString())
        );

        // Round 2 is the last: "changes" is refused, the run stays waiting.
        var refused = await Decide(ws, run, "changes", "again");
        Assert.Equal(RunStatus.Waiting, refused.Status);
        Assert.Contains("inbox.rejected", TestWorkspace.Types(run));

        Assert.Equal(RunStatus.Succeeded, (await Decide(ws, run, "approve")).Status);
        Assert.True(
            File.Exists(Path.Combine(run.AgentDir("draft"), "attempts", "1", "output")),
            "round 1's draft is kept"
        );
    }

    [Fact]
    public async Task TwoAnswersAtOnce_ExactlyOneWins()
    {
        using var ws = new TestWorkspace();
        var (run, _) = await ws.RunAsync(Chain);
        var hash = RunState.Fold(EventReader.ReadAll(run.Events)).Agent("review").ShownHash;
        await InboxWriter.WriteAsync(
            run.Inbox,
            "review.decided",
            new DecisionAnswer("approve", null, "ann", null, hash).ToData()
        );
        await InboxWriter.WriteAsync(
            run.Inbox,
            "review.decided",
            new DecisionAnswer("reject", null, "bob", null, hash).ToData()
        );

        var outcome = await new RunEngine(ws.Workspace, TestWorkspace.FastOptions()).RunAsync(run);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var events = TestWorkspace.Events(run);
        Assert.Single(events, e => e.Type == "review.decided");
        Assert.Contains("not waiting", events.Single(e => e.Type == "inbox.rejected").GetString("reason"));
    }

    [Fact]
    public async Task StaleCard_IsRefused()
    {
        using var ws = new TestWorkspace();
        var (run, _) = await ws.RunAsync(Chain);
        var outcome = await Decide(ws, run, "approve", hash: "sha256:0000");

        Assert.Equal(RunStatus.Waiting, outcome.Status);
        Assert.Contains("stale", TestWorkspace.Events(run).Single(e => e.Type == "inbox.rejected").GetString("reason"));
    }
}
