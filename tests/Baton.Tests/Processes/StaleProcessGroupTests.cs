using Baton.Agents.Processes;

namespace Baton.Tests.Processes;

public sealed class StaleProcessGroupTests : IDisposable
{
    private readonly ProcessSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task LiveLeader_WithMatchingStartTime_IsKilled()
    {
        var child = ProcessLauncher.Start(_sandbox.Spec("sleep", "1000"));

        Assert.True(StaleProcessGroup.KillIfAlive(child.Pid, child.StartTime));

        Assert.Equal(ProcessExit.Killed(9), await child.Exited.WaitAsync(ProcessSandbox.Patience));
    }

    [Fact]
    public async Task LiveLeader_WithOtherStartTime_IsLeftAlone()
    {
        var child = ProcessLauncher.Start(_sandbox.Spec("sleep", "1000"));
        try
        {
            Assert.False(StaleProcessGroup.KillIfAlive(child.Pid, child.StartTime + 1));

            await Task.Delay(100);
            Assert.False(child.Exited.IsCompleted);
        }
        finally
        {
            child.KillGroup();
        }

        await child.Exited.WaitAsync(ProcessSandbox.Patience);
    }

    [Fact]
    public async Task GoneLeader_WithLiveMembers_IsKilled()
    {
        var child = ProcessLauncher.Start(_sandbox.Bash("sleep 1000 & echo $! > pids"));
        await child.Exited.WaitAsync(ProcessSandbox.Patience);
        var sleepers = await _sandbox.ReadPidsAsync("pids", 1);
        await ProcessSandbox.WaitUntilGoneAsync([child.Pid]);

        Assert.True(StaleProcessGroup.KillIfAlive(child.Pid, child.StartTime));

        await ProcessSandbox.WaitUntilGoneAsync(sleepers);
    }

    [Fact]
    public async Task GoneGroup_IsNothingToKill()
    {
        var child = ProcessLauncher.Start(_sandbox.Spec("true"));
        await child.Exited.WaitAsync(ProcessSandbox.Patience);

        Assert.False(StaleProcessGroup.KillIfAlive(child.Pid, child.StartTime));
    }
}
