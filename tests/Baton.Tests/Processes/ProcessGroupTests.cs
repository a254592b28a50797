using Baton.Agents.Processes;

namespace Baton.Tests.Processes;

public sealed class ProcessGroupTests : IDisposable
{
    // Background sleeps that record their pids, then a foreground wait the stop has to interrupt.
    private const string SpawnSleepers = "for i in 1 2 3; do sleep 1000 & echo $! >> pids; done; ";

    private readonly ProcessSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task StopAsync_KillsGrandchildren()
    {
        var child = ProcessLauncher.Start(_sandbox.Bash(SpawnSleepers + "wait"));
        var sleepers = await _sandbox.ReadPidsAsync("pids", 3);

        await child.StopAsync(TimeSpan.FromSeconds(10)).WaitAsync(ProcessSandbox.Patience);

        Assert.True(child.Exited.IsCompleted);
        await ProcessSandbox.WaitUntilGoneAsync(sleepers);
    }

    [Fact]
    public async Task StopAsync_EscalatesToSigkill_WhenTermIsIgnored()
    {
        var child = ProcessLauncher.Start(
            _sandbox.Bash("trap '' TERM; echo ready > ready; while :; do sleep 0.1; done")
        );
        await _sandbox.WaitForFileAsync("ready");

        await child.StopAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(ProcessSandbox.Patience);

        Assert.Equal(ProcessExit.Killed(9), await child.Exited);
    }

    [Fact]
    public async Task StopAsync_Cancelled_StillKillsAndThrows()
    {
        var child = ProcessLauncher.Start(
            _sandbox.Bash("trap '' TERM; echo ready > ready; while :; do sleep 0.1; done")
        );
        await _sandbox.WaitForFileAsync("ready"); // the trap must be in place before SIGTERM is sent
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            child.StopAsync(Timeout.InfiniteTimeSpan, cancel.Token)
        );

        Assert.Equal(ProcessExit.Killed(9), await child.Exited.WaitAsync(ProcessSandbox.Patience));
    }

    [Fact]
    public async Task KillGroup_AfterLeaderExit_RemovesLeftovers()
    {
        var child = ProcessLauncher.Start(_sandbox.Bash(SpawnSleepers + "exit 0"));
        Assert.Equal(ProcessExit.Code(0), await child.Exited.WaitAsync(ProcessSandbox.Patience));
        var sleepers = await _sandbox.ReadPidsAsync("pids", 3);
        Assert.All(sleepers, pid => Assert.True(ProcessSandbox.IsRunning(pid)));

        child.KillGroup();

        await ProcessSandbox.WaitUntilGoneAsync(sleepers);
    }

    [Fact]
    public async Task SignalGroup_AfterGroupIsGone_IsHarmless()
    {
        var child = ProcessLauncher.Start(_sandbox.Spec("true"));
        await child.Exited.WaitAsync(ProcessSandbox.Patience);

        child.SignalGroup(15);
        child.KillGroup();
        await child.StopAsync(TimeSpan.FromSeconds(1));
    }
}
