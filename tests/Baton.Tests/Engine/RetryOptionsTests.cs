using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

/// <summary>`retry: {max, delay, max_delay, multiplier}` and a timeout routed apart from errors (docs/chains.md, Retries).</summary>
public class RetryOptionsTests
{
    [Fact]
    public async Task RetryDelays_FollowTheSettings_CappedAtMaxDelay()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: backoff
            agents:
              flaky:
                retry: { max: 3, delay: 50ms, multiplier: 3, max_delay: 200ms }
                run: exit 1
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failures = TestWorkspace.Events(run).Where(e => e.Type == "flaky.failed").ToList();
        Assert.Equal([50L, 150L, 200L, null], failures.Select(e => e.GetInt64("retry_in_ms")));
        // Each retry started no earlier than its delay after the failure (event times are the engine's clock).
        var starts = TestWorkspace.Events(run).Where(e => e.Type == "flaky.started").ToList();
        for (var i = 0; i < 3; i++)
            Assert.True(
                starts[i + 1].Time - failures[i].Time
                    >= TimeSpan.FromMilliseconds(failures[i].GetInt64("retry_in_ms")!.Value)
            );
    }

    [Fact]
    public async Task TimeoutAndError_RouteToDifferentHandlers()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: routes
            agents:
              slow: { needs: [], timeout: 300ms, run: sleep 30 }
              broken: { needs: [], run: exit 3 }
              slow-timed-out:
                on: [slow.failed]
                when: { field: data.reason, equals: timeout }
                run: echo timeout
              slow-errored:
                on: [slow.failed]
                when: otherwise
                run: echo error
              broken-timed-out:
                on: [broken.failed]
                when: { field: data.reason, equals: timeout }
                run: echo timeout
              broken-errored:
                on: [broken.failed]
                when: otherwise
                run: echo error
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "slow-timed-out"));
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "slow-errored"));
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "broken-timed-out"));
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "broken-errored"));
    }
}
