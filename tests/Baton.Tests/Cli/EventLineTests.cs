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
}
