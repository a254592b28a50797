using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>
/// An answer checked against the decisions a host kept of a parked run (RunOutcome.Waiting) instead of the run's
/// events folded again; a refusal by kept decisions that went stale is checked again against the events.
/// </summary>
public sealed class KeptDecisionsTests : IDisposable
{
    private const string Chain = """
        name: review
        agents:
          draft:
            run: echo "draft $BATON_ATTEMPT"
          review:
            decision:
              show: "Review: {{ agents.draft.output }}"
              max_rounds: 2
          publish:
            run: "true"
        """;

    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private Task<string> Answer(RunFolder run, Decision decision, string? hash, WaitingDecisions? kept) =>
        DecisionInbox.WriteAsync(
            run,
            DecisionInbox.Prepare(
                run,
                "review",
                decision,
                decision == Decision.Approve ? "" : "again",
                "tester",
                Answerer.Reviewer,
                hash,
                parked: kept
            )
        );

    private Task<RunOutcome> Resume(RunFolder run) =>
        new RunEngine(_ws.Workspace, TestWorkspace.FastOptions()).RunAsync(run).WaitAsync(TimeSpan.FromSeconds(60));

    private static string WaitingHash(RunFolder run) =>
        RunState.Fold(EventReader.ReadAll(run.Events)).Agent("review").ShownHash!;

    [Fact]
    public async Task WaitingRun_OutcomeKeepsItsWaitingDecision()
    {
        var (run, outcome) = await _ws.RunAsync(Chain);

        Assert.Equal(RunStatus.Waiting, outcome.Status);
        var kept = Assert.Single(outcome.Waiting!.Agents);
        Assert.Equal("review", kept.Key);
        Assert.Equal(WaitingHash(run), kept.Value.ShownHash);
        Assert.Equal("review", outcome.Waiting.Chain.Name);
    }

    [Fact]
    public async Task KeptDecisions_AnswerIsCheckedWithoutReadingTheEvents()
    {
        var (run, outcome) = await _ws.RunAsync(Chain);
        var hash = WaitingHash(run);
        // Without its events a fold finds nothing waiting: only the kept decisions can accept the answer.
        Directory.Move(run.Events, run.Events + ".aside");

        await Answer(run, Decision.Approve, hash, outcome.Waiting);

        Directory.Move(run.Events + ".aside", run.Events);
        Assert.Equal(RunStatus.Succeeded, (await Resume(run)).Status);
    }

    [Fact]
    public async Task KeptDecisionsGoneStale_RefusalIsCheckedAgainstTheEvents_AndTheAnswerAccepted()
    {
        var (run, round1) = await _ws.RunAsync(Chain);
        await Answer(run, Decision.Changes, WaitingHash(run), round1.Waiting);
        var round2 = await Resume(run); // another engine moved the run on: round 2 shows another draft
        Assert.Equal(RunStatus.Waiting, round2.Status);
        var hash2 = WaitingHash(run);
        Assert.NotEqual(round1.Waiting!.Agents["review"].ShownHash, hash2);

        await Answer(run, Decision.Approve, hash2, round1.Waiting); // round 1's kept card would call it stale

        Assert.Equal(RunStatus.Succeeded, (await Resume(run)).Status);
    }

    [Fact]
    public async Task StaleCard_IsRefused_ByKeptDecisionsAndEventsAlike()
    {
        var (run, round1) = await _ws.RunAsync(Chain);
        var hash1 = WaitingHash(run);
        await Answer(run, Decision.Changes, hash1, round1.Waiting);
        var round2 = await Resume(run);

        var refused = await Assert.ThrowsAsync<DecisionRefusedException>(() =>
            Answer(run, Decision.Approve, hash1, round2.Waiting)
        );

        Assert.Equal(DecisionRefusal.StaleCard, refused.Refusal);
        Assert.Empty(Directory.GetFiles(run.Inbox, "*.json"));
    }
}
