using Baton.Events;
using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class CancelTests
{
    private const string Chain = """
        name: cancel
        agents:
          sleeper:
            run: |
              sleep 1000 & echo $! >> pids
              echo $$ >> pids
              wait
          later:
            run: echo "should not run"
        """;

    [Fact]
    public async Task CancelToken_StopsRunningAgent_SkipsPending_KillsProcessGroup()
    {
        using var ws = new TestWorkspace();
        using var cancel = new CancellationTokenSource();
        var run = await ws.CreateRunAsync(Chain);
        var engine = new RunEngine(ws.Workspace, TestWorkspace.FastOptions()).RunAsync(run, cancel.Token);

        var pidsFile = Path.Combine(run.Work, "pids");
        await EngineProbe.WaitUntilAsync(
            () => File.Exists(pidsFile) && EngineProbe.ReadPids(pidsFile).Length == 2,
            "the sleeper to start"
        );
        var pids = EngineProbe.ReadPids(pidsFile);
        await cancel.CancelAsync();
        var outcome = await engine.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Cancelled, outcome.Status);
        AssertCancelled(run);
        await EngineProbe.WaitUntilAsync(
            () => pids.All(EngineProbe.IsGone),
            $"processes {string.Join(", ", pids)} to be killed"
        );
    }

    [Fact]
    public async Task CancelFileInInbox_CancelsTheRun()
    {
        using var ws = new TestWorkspace();
        var run = await ws.CreateRunAsync(Chain);
        var engine = new RunEngine(ws.Workspace, TestWorkspace.FastOptions()).RunAsync(run);

        var pidsFile = Path.Combine(run.Work, "pids");
        await EngineProbe.WaitUntilAsync(
            () => File.Exists(pidsFile) && EngineProbe.ReadPids(pidsFile).Length == 2,
            "the sleeper to start"
        );
        var pids = EngineProbe.ReadPids(pidsFile);
        var temp = Path.Combine(run.Inbox, ".cancel.tmp");
        await File.WriteAllTextAsync(temp, """{"by": "test"}""");
        File.Move(temp, Path.Combine(run.Inbox, "run.cancel@x.json"));
        var outcome = await engine.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Cancelled, outcome.Status);
        AssertCancelled(run);
        Assert.Equal("test", EngineProbe.Single(run, EventTypes.RunCancel).GetString("by"));
        await EngineProbe.WaitUntilAsync(
            () => pids.All(EngineProbe.IsGone),
            $"processes {string.Join(", ", pids)} to be killed"
        );
    }

    private static void AssertCancelled(RunFolder run)
    {
        var types = TestWorkspace.Types(run);
        Assert.True(EngineProbe.IndexOf(run, "run.cancel") < EngineProbe.IndexOf(run, "sleeper.cancelled"));
        Assert.DoesNotContain("sleeper.failed", types);
        Assert.DoesNotContain("later.started", types);
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "later"));
        Assert.Equal(RunStatus.Cancelled, ((RunFinished)EngineProbe.Single(run, "run.finished").Body).Status);
        Assert.Equal("run.finished", types[^1]);
    }
}
