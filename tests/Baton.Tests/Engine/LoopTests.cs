using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>Loops (docs/chains.md, Loops): a reviewer sends work back to a writer until it approves or max_rounds is reached.</summary>
public class LoopTests
{
    /// <summary>The reviewer rejects the first `rejections` drafts, then approves; the writer writes one draft per round.</summary>
    private static string WriterReviewer(int rejections, int maxRounds) =>
        $$"""
            name: loop
            max_rounds: {{maxRounds}}
            agents:
              writer:
                on: [run.started, reviewer.changes-requested]
                run: echo "draft $BATON_ROUND" >> drafts.txt && echo "draft $BATON_ROUND"
              reviewer:
                on: [writer.done]
                run: |
                  if [ "$BATON_ROUND" -le {{rejections}} ]; then touch "$BATON_INBOX/changes-requested.json"; else touch "$BATON_INBOX/approved.json"; fi
              publish:
                on: [reviewer.approved]
                run: cat "$BATON_OUT_WRITER"
            """;

    [Fact]
    public async Task ReviewerRejectsTwiceThenApproves_WriterRunsThreeTimes_RunSucceeds()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(WriterReviewer(rejections: 2, maxRounds: 3));

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var types = TestWorkspace.Types(run);
        Assert.Equal(3, types.Count(t => t == "writer.done"));
        Assert.Equal(3, types.Count(t => t == "reviewer.done"));
        Assert.Equal(2, types.Count(t => t == "reviewer.changes-requested"));
        Assert.Equal(
            ["draft 1", "draft 2", "draft 3"],
            File.ReadAllLines(Path.Combine(run.Path, "work", "drafts.txt"))
        );
        Assert.Equal("draft 3\n", File.ReadAllText(run.AgentOutput("publish")));
        Assert.True(EngineProbe.IndexOf(run, "reviewer.approved") < EngineProbe.IndexOf(run, "publish.started"));
    }

    [Fact]
    public async Task ReviewerNeverApproves_RunFailsAtMaxRounds_NamingTheLoop()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(WriterReviewer(rejections: 99, maxRounds: 3));

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(3, TestWorkspace.Types(run).Count(t => t == "writer.done"));
        Assert.Equal(
            "agent 'writer' ran its max_rounds (3) and 'reviewer.changes-requested' asked for one more",
            outcome.Reason
        );
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "publish"));
    }

    [Fact]
    public async Task RetriesCountWithinEachRound()
    {
        using var ws = new TestWorkspace();
        // Fails the first attempt of every round: with retries: 1 each round still succeeds.
        var (run, outcome) = await ws.RunAsync(
            """
            name: loop-retries
            max_rounds: 2
            agents:
              writer:
                on: [run.started, reviewer.again]
                retries: 1
                run: |
                  if [ ! -e "tried-$BATON_ROUND" ]; then touch "tried-$BATON_ROUND"; exit 1; fi
              reviewer:
                on: [writer.done]
                run: if [ "$BATON_ROUND" = 1 ]; then touch "$BATON_INBOX/again.json"; fi
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var types = TestWorkspace.Types(run);
        Assert.Equal(2, types.Count(t => t == "writer.failed"));
        Assert.Equal(2, types.Count(t => t == "writer.done"));
        Assert.Equal(4, TestWorkspace.Events(run).Where(e => e.Type == "writer.started").Max(e => e.Attempt));
    }
}
