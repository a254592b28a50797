using Baton.Cli;
using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.Cli;

/// <summary>`baton logs` / `baton run` lines read what the event file says, through its typed record.</summary>
public class EventLineTests
{
    private static string Line(string type, string? agent, int attempt, EventBody body)
    {
        var time = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        var read = EventJson.Deserialize(
            System.Text.Encoding.UTF8.GetBytes(
                EventJson.ToLine(new RunEvent(7, type, agent, attempt, time, EventCodec.Encode(body)))
            )
        );
        return EventLine.Format(read)![10..];
    }

    [Fact]
    public void FailedWithRetry_ShowsReasonMessageAndDelay()
    {
        Assert.Equal(
            "build.failed  exit: exit code 2 — retrying in 1500 ms",
            Line("build.failed", "build", 1, new AgentFailed("exit", "exit code 2", 2, 1500))
        );
    }

    [Fact]
    public void DecidedWithComment_ShowsDecisionAuthorAndComment()
    {
        Assert.Equal(
            "review.decided  approve by ana: ship it",
            Line("review.decided", "review", 1, new AgentDecided(Decision.Approve, "ana", "ship it", 1, null))
        );
    }

    [Fact]
    public void RunFinishedAndResumedStart_ReadTheirFields()
    {
        Assert.Equal(
            "run.finished  failed: build failed",
            Line("run.finished", null, 0, new RunFinished(RunStatus.Failed, "build failed"))
        );
        Assert.Equal("a.started  attempt 2 (resumed)", Line("a.started", "a", 2, new AgentStarted(Resumed: true)));
    }

    [Fact]
    public void NewerEvents_ShowWhatTheySay()
    {
        Assert.Equal(
            "draft.checked  length failed (retry): 12 words, at least 50",
            Line("draft.checked", "draft", 1, new AgentChecked("length", false, 0, "12 words, at least 50", "retry", 1))
        );
        Assert.Equal(
            "draft.checked  tone passed, score 0.75",
            Line("draft.checked", "draft", 1, new AgentChecked("tone", true, 0.75, "", "warn", 1))
        );
        Assert.Equal(
            "run.stop  by give-up: the reviewer abandoned the draft",
            Line("run.stop", null, 0, new RunStop("give-up", "the reviewer abandoned the draft"))
        );
        Assert.Equal("run.cancel  by ana", Line("run.cancel", null, 0, new RunCancel("ana")));
        Assert.Equal(
            "budget.alert  default spent $82.5 of $100 (83 %)",
            Line("budget.alert", null, 0, new BudgetAlerted("default", 82.5m, 100m, 82.5m))
        );
        Assert.Equal(
            "merge.skipped  quorum 2 of [a.approved, b.approved] not reached (1 occurred) within its timeout (10m)",
            Line(
                "merge.skipped",
                "merge",
                0,
                new AgentSkipped(
                    "quorum 2 of [a.approved, b.approved] not reached (1 occurred) within its timeout (10m)"
                )
            )
        );
        Assert.Equal("approved  from reviewer", Line("approved", "reviewer", 1, new Emitted("approved", "reviewer")));
        Assert.Equal(
            "reviewer.verdict  {\"status\":\"changes\"}",
            Line(
                "reviewer.verdict",
                "reviewer",
                1,
                new CustomEvent(
                    "reviewer.verdict",
                    System.Text.Json.JsonDocument.Parse("""{"status":"changes"}""").RootElement
                )
            )
        );
        Assert.Equal(
            "write.done  1,024 bytes, 1200+300 tokens ($0.0042)",
            Line(
                "write.done",
                "write",
                1,
                new AgentDone("agents/write/output", 1024, null, new CallCost(0.0042m, 1200, 300))
            )
        );
        Assert.Equal(
            "run.started  digest, by schedule",
            Line("run.started", null, 0, new RunStarted("digest", "r1", "schedule"))
        );
    }
}
