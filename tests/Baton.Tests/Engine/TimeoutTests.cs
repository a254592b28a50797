using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class TimeoutTests
{
    [Fact]
    public async Task TimedOutAgent_FailsWithTimeout_AndItsGrandchildrenAreKilled()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: slow
            agents:
              slow:
                timeout: 1s
                run: |
                  sleep 1000 & echo $! >> pids
                  bash -c 'sleep 1000 & echo $! >> pids; wait' & echo $! >> pids
                  echo $$ >> pids
                  while [ "$(wc -l < pids)" -lt 4 ]; do sleep 0.05; done
                  sleep 1000
              after:
                run: echo "should be skipped"
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = EngineProbe.Single(run, "slow.failed");
        Assert.Equal("timeout", failed.GetString("reason"));
        Assert.Contains("1s", failed.GetString("message"));
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "after"));

        var pids = EngineProbe.ReadPids(Path.Combine(run.Work, "pids"));
        Assert.Equal(4, pids.Length);
        await EngineProbe.WaitUntilAsync(
            () => pids.All(EngineProbe.IsGone),
            $"processes {string.Join(", ", pids)} to be killed"
        );
    }
}
