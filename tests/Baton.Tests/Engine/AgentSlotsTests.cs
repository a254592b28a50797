using Baton.Runs;

namespace Baton.Tests.Engine;

public class AgentSlotsTests
{
    [Fact]
    public async Task AFloodedWorkspace_DoesNotStarveAnother_ByMoreThanOneSlot()
    {
        var slots = new AgentSlots(2);
        var a1 = await slots.AcquireAsync("a");
        var a2 = await slots.AcquireAsync("a");
        var flood = Enumerable.Range(0, 500).Select(_ => slots.AcquireAsync("a")).ToList();
        var b = slots.AcquireAsync("b");
        Assert.False(b.IsCompleted);

        a1.Dispose(); // the first slot that frees goes to b, not to a's 500 waiters

        Assert.True(b.IsCompletedSuccessfully);
        Assert.All(flood, f => Assert.False(f.IsCompleted));
        a2.Dispose();
        Assert.True(flood[0].IsCompletedSuccessfully);
        Assert.Equal(2, slots.Active);
    }

    [Fact]
    public async Task WorkspaceCap_IsHonoured_EvenWithFreeCapacity()
    {
        var slots = new AgentSlots(10);
        slots.Configure("a", maxParallelAgents: 1);
        var first = await slots.AcquireAsync("a");
        var second = slots.AcquireAsync("a");
        var other = slots.AcquireAsync("b");
        Assert.False(second.IsCompleted);
        Assert.True(other.IsCompletedSuccessfully);
        first.Dispose();
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(1, slots.ActiveIn("a"));
    }

    [Fact]
    public async Task CancelledWaiter_GivesItsTurnAway()
    {
        var slots = new AgentSlots(1);
        var held = await slots.AcquireAsync("a");
        using var cancel = new CancellationTokenSource();
        var gone = slots.AcquireAsync("a", cancel.Token);
        var next = slots.AcquireAsync("b");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        held.Dispose();
        Assert.True(next.IsCompletedSuccessfully);
        Assert.Equal(1, slots.Active);
    }

    [Fact]
    public async Task MaxParallelAgents_FanOutNeverOverlapsBeyondTheCap()
    {
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", "limits:\n  max_parallel_agents: 1\n");
        var (run, outcome) = await ws.RunAsync(
            """
            name: capped
            agents:
              a:
                needs: []
                run: |
                  if ! mkdir "$BATON_RUN_DIR/busy"; then echo overlap > "$BATON_RUN_DIR/overlap"; fi
                  sleep 0.3; rmdir "$BATON_RUN_DIR/busy" || true
              b:
                needs: []
                run: |
                  if ! mkdir "$BATON_RUN_DIR/busy"; then echo overlap > "$BATON_RUN_DIR/overlap"; fi
                  sleep 0.3; rmdir "$BATON_RUN_DIR/busy" || true
              c:
                needs: []
                run: |
                  if ! mkdir "$BATON_RUN_DIR/busy"; then echo overlap > "$BATON_RUN_DIR/overlap"; fi
                  sleep 0.3; rmdir "$BATON_RUN_DIR/busy" || true
            """
        );
        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.False(
            File.Exists(Path.Combine(run.Path, "overlap")),
            "two agents ran at once despite max_parallel_agents: 1"
        );
        // A queued agent is still pending: its `started` is written only once it has a slot.
        var types = TestWorkspace.Types(run).ToList();
        Assert.True(
            types.IndexOf("a.done") < types.IndexOf("b.started") || types.IndexOf("b.done") < types.IndexOf("a.started")
        );
    }
}
