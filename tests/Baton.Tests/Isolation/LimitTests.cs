using Baton.Isolation;
using Baton.Runs;
using Baton.Tests.Engine;
using Baton.Tests.Events;

namespace Baton.Tests.Isolation;

/// <summary>Per-agent cgroups on this machine: a memory hog and a fork bomb fail alone, and leave nothing behind.</summary>
public class LimitTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task MemoryHog_FailsWithReasonMemory_WhileTheEngineAndOtherAgentsLiveOn()
    {
        Machine.RequireCgroups();
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: hog
            agents:
              hog:
                run: head -c 600M /dev/zero | tail
              fine:
                needs: []
                run: echo fine
            """,
            options: Machine.Options(new AgentIsolation(null, new ResourceLimits(MemoryBytes: 64 * MiB)))
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = EngineProbe.Single(run, "hog.failed");
        Assert.Equal("memory", failed.GetString("reason"));
        Assert.Contains("64 MiB memory limit", failed.GetString("message"));
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "fine"));
    }

    /// <summary>Issue 11 item 7: ways a bash agent runs past its memory, each must fail with reason `memory`.</summary>
    [Theory]
    [InlineData("a=$(head -c 300M /dev/zero | tr '\\0' x); echo ${#a}")] // bash itself grows
    [InlineData("python3 -c 'x = bytearray(300 * 1024 * 1024)' || true\nexit 4")] // the hog dies, the script fails later
    [InlineData("head -c 300M /dev/zero | sort > /dev/null")] // a tool in a pipeline
    [InlineData("python3 -c 'x = bytearray(300 * 1024 * 1024)' &\nwait $!")] // a background child
    public async Task BashAgentPastItsMemory_FailsWithReasonMemory(string script)
    {
        Machine.RequireCgroups();
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            $"name: hog\nagents:\n  hog:\n    timeout: 60s\n    run: |\n      {script.Replace("\n", "\n      ", StringComparison.Ordinal)}\n",
            options: Machine.Options(
                new AgentIsolation(WorkspaceUser.Ensure("isotest-a"), new ResourceLimits(MemoryBytes: 64 * MiB))
            )
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = EngineProbe.Single(run, "hog.failed");
        Assert.True(
            failed.GetString("reason") == "memory",
            $"{failed.GetString("reason")}: {failed.GetString("message")}"
        );
    }

    [Fact]
    public async Task ForkBomb_IsContainedByPidsMax_AndNothingIsLeftInItsCgroup()
    {
        var enforcement = Machine.RequireCgroups();
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: bomb
            agents:
              bomb:
                timeout: 8s
                run: |
                  for i in $(seq 1 2000); do sleep 300 & done
                  echo "spawned 2000"
                  wait
              after:
                needs: [bomb]
                run: echo never
            """,
            options: Machine.Options(new AgentIsolation(null, new ResourceLimits(MaxProcesses: 50)))
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(AgentStatus.Failed, EngineProbe.StatusOf(run, "bomb"));
        Assert.DoesNotContain("spawned 2000", File.ReadAllText(Path.Combine(run.AgentDir("bomb"), "stdout.log")));
        Assert.Contains(
            "fork",
            File.ReadAllText(Path.Combine(run.AgentDir("bomb"), "stderr.log")),
            StringComparison.OrdinalIgnoreCase
        );
        await EngineProbe.WaitUntilAsync(
            () => Machine.ProcessesOfRun(run.Id).Count == 0,
            "every process of the bomb to be killed"
        );
        var workspaceCgroup = Path.Combine(enforcement.PidsParent!, Path.GetFileName(ws.Root));
        Assert.False(
            Directory.Exists(workspaceCgroup)
                && Directory
                    .EnumerateDirectories(workspaceCgroup)
                    .Any(d => d.Contains(run.Id, StringComparison.Ordinal)),
            $"the bomb's cgroup under {workspaceCgroup} is removed"
        );
    }

    [Fact]
    public async Task DaemonThatLeftItsProcessGroup_IsKilledThroughTheCgroup()
    {
        Machine.RequireCgroups();
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: daemon
            agents:
              starter:
                run: |
                  setsid sleep 1000 > /dev/null 2>&1 < /dev/null &
                  sleep 0.2
                  echo started
            """,
            options: Machine.Options(new AgentIsolation(null, ResourceLimits.None))
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        await EngineProbe.WaitUntilAsync(
            () => Machine.ProcessesOfRun(run.Id).Count == 0,
            "the setsid daemon to be killed with its cgroup"
        );
    }
}
