using Baton.Runs;

namespace Baton.Tests.Engine;

public class DaemonTests
{
    [Fact]
    public async Task ScriptLeavingABackgroundProcess_IsDone_AndTheProcessIsKilled()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: daemon
            agents:
              starter:
                run: |
                  sleep 1000 > /dev/null 2>&1 &
                  echo $! > daemon.pid
                  echo started
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Contains("starter.done", TestWorkspace.Types(run));
        var pid = Assert.Single(EngineProbe.ReadPids(Path.Combine(run.Work, "daemon.pid")));
        await EngineProbe.WaitUntilAsync(() => EngineProbe.IsGone(pid), $"the leftover sleep (pid {pid}) to be killed");
    }
}
