using System.Text;
using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.Events;

/// <summary>Run folders written before the typed schema (Fixtures/session4-runs) load, fold and write back unchanged.</summary>
public class OldRunTests
{
    private static string Fixture(string run) =>
        Path.Combine(EventSchemaTests.RepoRoot(), "tests", "Baton.Tests", "Events", "Fixtures", "session4-runs", run);

    [Theory]
    [InlineData("20261205-154901-everything-c8d2")]
    [InlineData("20261205-154907-cancelme-f551")]
    [InlineData("20261205-154913-rejectme-68cc")]
    public void EveryEventOfAnOldRun_IsWrittenAgainByteForByte_ThroughItsRecord(string run)
    {
        var folder = Path.Combine(Fixture(run), "events");
        var events = EventReader.ReadAll(folder);
        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            var rewritten = e with { Data = EventCodec.Encode(e.Body) };
            Assert.Equal(
                File.ReadAllText(Path.Combine(folder, e.FileName)),
                Encoding.UTF8.GetString(EventJson.Serialize(rewritten))
            );
        }
    }

    [Fact]
    public void OldRuns_FoldToTheirStatuses()
    {
        var everything = RunState.Fold(
            EventReader.ReadAll(Path.Combine(Fixture("20261205-154901-everything-c8d2"), "events"))
        );
        Assert.Equal(RunStatus.Failed, everything.Status);
        Assert.Equal("agent 'broken' failed: exited with code 2", everything.FinishReason);
        Assert.Equal(
            [
                AgentStatus.Done,
                AgentStatus.Done,
                AgentStatus.Done,
                AgentStatus.Done,
                AgentStatus.Failed,
                AgentStatus.Skipped,
            ],
            new[] { "prep", "flaky", "draft", "review", "broken", "after" }.Select(a => everything.Agent(a).Status)
        );
        Assert.Equal(2, everything.Agent("flaky").Attempt);
        Assert.Equal("shorter, and cite the sources", everything.Agent("draft").Feedback);
        Assert.Contains("prep-ready", everything.OccurredTypes);
        Assert.Contains("prep.progress", everything.OccurredTypes);

        var cancelled = RunState.Fold(
            EventReader.ReadAll(Path.Combine(Fixture("20261205-154907-cancelme-f551"), "events"))
        );
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.True(cancelled.CancelRequested);
        Assert.Equal(AgentStatus.Cancelled, cancelled.Agent("sleeper").Status);

        var rejected = RunState.Fold(
            EventReader.ReadAll(Path.Combine(Fixture("20261205-154913-rejectme-68cc"), "events"))
        );
        Assert.Equal(RunStatus.Rejected, rejected.Status);
        Assert.Equal(AgentStatus.Rejected, rejected.Agent("review").Status);
        Assert.Equal(Decision.Reject, rejected.Agent("review").Decision);
    }
}
