using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

/// <summary>`needs: {quorum: N, of: [...], timeout}` and `{any_of: [...]}` (docs/chains.md, Quorum).</summary>
public class QuorumTests
{
    [Fact]
    public async Task TwoOfThree_StartsAfterTheSecondApproval_NotTheFirst()
    {
        using var ws = new TestWorkspace();
        // The reviewers answer one after another (b after a, c after b), so the order of events is fixed.
        var (run, outcome) = await ws.RunAsync(
            """
            name: quorum
            agents:
              a: { needs: [], run: 'touch "$BATON_INBOX/approved.json"' }
              b: { on: [a.done], run: 'touch "$BATON_INBOX/approved.json"' }
              c: { on: [b.done], run: 'touch "$BATON_INBOX/approved.json"' }
              merge:
                needs: { quorum: 2, of: [a.approved, b.approved, c.approved] }
                run: echo merged
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var started = EngineProbe.IndexOf(run, "merge.started");
        Assert.True(started > EngineProbe.IndexOf(run, "b.approved"), "started before the second approval");
        Assert.True(started < EngineProbe.IndexOf(run, "c.approved"), "waited for the third approval");
        Assert.Single(TestWorkspace.Types(run), t => t == "merge.started");
    }

    [Fact]
    public async Task QuorumNeverReached_SkippedWithTheCount()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: quorum
            agents:
              a: { needs: [], run: 'touch "$BATON_INBOX/approved.json"' }
              b: { needs: [], run: 'touch "$BATON_INBOX/rejected-it.json"' }
              c: { needs: [], run: 'true' }
              merge:
                needs: { quorum: 2, of: [a.approved, b.approved, c.approved] }
                run: echo merged
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            "quorum 2 of [a.approved, b.approved, c.approved] not reached (1 occurred)",
            EngineProbe.Single(run, "merge.skipped").GetString("reason")
        );
    }

    [Fact]
    public async Task Timeout_CountsFromTheFirstAnswer_SkipsWhileOthersStillRun()
    {
        using var ws = new TestWorkspace();
        // b answers only once merge was skipped: if the timeout never fired, b gives up and the run fails.
        var (run, outcome) = await ws.RunAsync(
            """
            name: quorum
            agents:
              a: { needs: [], run: 'touch "$BATON_INBOX/approved.json"' }
              b:
                needs: []
                run: |
                  for i in $(seq 300); do
                    if ls "$BATON_RUN_DIR"/events/ | grep -q merge.skipped; then touch "$BATON_INBOX/approved.json"; exit 0; fi
                    sleep 0.05
                  done
                  exit 1
              merge:
                needs: { quorum: 2, of: [a.approved, b.approved], timeout: 300ms }
                run: echo merged
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Contains(
            "not reached (1 occurred) within its timeout",
            EngineProbe.Single(run, "merge.skipped").GetString("reason")
        );
        Assert.DoesNotContain("merge.started", TestWorkspace.Types(run));
    }

    [Fact]
    public async Task AnyOf_AgentNamesMeanTheirDone()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: any
            agents:
              fast: { needs: [], run: 'true' }
              broken: { needs: [], run: 'exit 3' }
              next:
                needs: { any_of: [fast, broken] }
                run: echo next
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status); // broken failed; next still ran on fast
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "next"));
    }
}
