using Baton.Agents.Processes;
using Baton.Isolation;
using Baton.Tests.Events;

namespace Baton.Tests.Isolation;

/// <summary>
/// The confining prologue, both ways: the static helper and the sh + setpriv fallback. The agent's
/// very first instruction already runs in its cgroup, as its user, under its rlimits.
/// </summary>
public class PrologueTests
{
    public static TheoryData<bool> Ways => [true, false];

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task Agent_StartsInItsCgroup_AsItsUser(bool helper)
    {
        var enforcement = Machine.RequireCgroups();
        if (helper)
            Assert.True(
                ConfineCommand.Helper is not null,
                "baton-confine was not built next to the tests (needs /usr/bin/cc at build time)"
            );
        var user = WorkspaceUser.Ensure("isotest-a");
        using var dir = new TestWorkspace();
        var name = $"isotest/prologue-{Guid.NewGuid():N}";
        var confinement = Confinement.Create(
            new AgentIsolation(user, new ResourceLimits(64L << 20, 40, 512)),
            name,
            helper ? ConfineCommand.Helper : null
        );
        await using (confinement)
        {
            var spec = confinement.Wrap(
                new ProcessSpec(
                    "/bin/cat",
                    ["/proc/self/cgroup", "/proc/self/status"],
                    dir.Root,
                    new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                    Path.Combine(dir.Root, "out"),
                    Path.Combine(dir.Root, "err")
                )
            );
            var exit = await ProcessLauncher.Start(spec).Exited;

            Assert.True(exit.Succeeded, File.ReadAllText(Path.Combine(dir.Root, "err")));
            var output = File.ReadAllText(Path.Combine(dir.Root, "out"));
            Assert.Contains(
                $":memory:{MountRelative(enforcement.MemoryParent!)}/{name}\n",
                output,
                StringComparison.Ordinal
            );
            Assert.Contains(
                $":pids:{MountRelative(enforcement.PidsParent!)}/{name}\n",
                output,
                StringComparison.Ordinal
            );
            Assert.Contains(
                $"Uid:\t{user.Uid}\t{user.Uid}\t{user.Uid}\t{user.Uid}\n",
                output,
                StringComparison.Ordinal
            );
            Assert.Contains("Groups:\t \n", output, StringComparison.Ordinal);
            Assert.Contains("NoNewPrivs:\t1\n", output, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(Path.Combine(enforcement.PidsParent!, name)), "the cgroup is removed on dispose");
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task Agent_SeesOnlyItsOwnUsersProcesses_AndTheHostsProcIsUnchanged(bool helper)
    {
        Machine.RequireCgroups();
        Assert.True(ProcessHiding.Supported, ProcessHiding.Describe());
        if (helper)
            Assert.True(
                ConfineCommand.Helper is not null,
                "baton-confine was not built next to the tests (needs /usr/bin/cc at build time)"
            );
        var user = WorkspaceUser.Ensure("isotest-a");
        using var dir = new TestWorkspace();
        var confinement = Confinement.Create(
            new AgentIsolation(user, new ResourceLimits(64L << 20, 40, 512)),
            $"isotest/proc-{Guid.NewGuid():N}",
            helper ? ConfineCommand.Helper : null
        );
        await using (confinement)
        {
            var spec = confinement.Wrap(
                new ProcessSpec(
                    "/bin/sh",
                    ["-c", "for p in /proc/[0-9]*; do stat -c %u \"$p\"; done | sort -u; echo pid $$"],
                    dir.Root,
                    new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                    Path.Combine(dir.Root, "out"),
                    Path.Combine(dir.Root, "err")
                )
            );
            var process = ProcessLauncher.Start(spec);
            var exit = await process.Exited;

            Assert.True(exit.Succeeded, File.ReadAllText(Path.Combine(dir.Root, "err")));
            Assert.Equal($"{user.Uid}\npid {process.Pid}\n", File.ReadAllText(Path.Combine(dir.Root, "out"))); // same pid: no PID namespace
        }
        Assert.Single(File.ReadAllLines("/proc/self/mounts"), line => line.Split(' ') is [_, "/proc", "proc", ..]);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task Agent_SeesItsWorkspacesTmp_AsTmpVarTmpAndDevShm_AndTheHostsTmpIsUnchanged(bool helper)
    {
        Machine.RequireCgroups();
        if (helper)
            Assert.True(
                ConfineCommand.Helper is not null,
                "baton-confine was not built next to the tests (needs /usr/bin/cc at build time)"
            );
        var user = WorkspaceUser.Ensure("isotest-a");
        using var dir = new TestWorkspace();
        // Outside the host's /tmp, where a workspace's data normally lives (a folder under /tmp keeps the host's /tmp: see the next test).
        var workspace = Path.Combine("/srv", $"baton-tmp-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workspace);
        try
        {
            var tmp = WorkspaceFolders.PrepareTmp(workspace, user);
            var note = $"note-{Guid.NewGuid():N}";
            var confinement = Confinement.Create(
                new AgentIsolation(user, new ResourceLimits(64L << 20, 40, 512)),
                $"isotest/tmp-{Guid.NewGuid():N}",
                helper ? ConfineCommand.Helper : null
            );
            await using (confinement)
            {
                var spec = confinement.Wrap(
                    new ProcessSpec(
                        "/bin/sh",
                        [
                            "-c",
                            $"echo a > /tmp/{note}; echo b > /var/tmp/{note}-v; echo c > /dev/shm/{note}-s; ls /tmp",
                        ],
                        dir.Root,
                        new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                        Path.Combine(dir.Root, "out"),
                        Path.Combine(dir.Root, "err")
                    ),
                    tmp
                );
                var exit = await ProcessLauncher.Start(spec).Exited;
                Assert.True(exit.Succeeded, File.ReadAllText(Path.Combine(dir.Root, "err")));
            }
            Assert.Equal(
                [note, $"{note}-s", $"{note}-v"],
                Directory.GetFiles(tmp).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            );
            Assert.False(File.Exists($"/tmp/{note}"));
            Assert.False(File.Exists($"/var/tmp/{note}-v"));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task WorkspaceUnderTmp_KeepsTheHostsTmp_SoTheAgentStillReachesItsRun(bool helper)
    {
        Machine.RequireCgroups();
        if (helper)
            Assert.True(
                ConfineCommand.Helper is not null,
                "baton-confine was not built next to the tests (needs /usr/bin/cc at build time)"
            );
        var user = WorkspaceUser.Ensure("isotest-a");
        using var dir = new TestWorkspace(); // under /tmp
        Assert.StartsWith("/tmp/", dir.Root + "/");
        var tmp = WorkspaceFolders.PrepareTmp(dir.Root, user);
        var confinement = Confinement.Create(
            new AgentIsolation(user, new ResourceLimits(64L << 20, 40, 512)),
            $"isotest/tmp-{Guid.NewGuid():N}",
            helper ? ConfineCommand.Helper : null
        );
        await using (confinement)
        {
            var spec = confinement.Wrap(
                new ProcessSpec(
                    "/bin/sh",
                    ["-c", "echo b > /var/tmp/here; pwd"],
                    dir.Root,
                    new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                    Path.Combine(dir.Root, "out"),
                    Path.Combine(dir.Root, "err")
                ),
                tmp
            );
            var exit = await ProcessLauncher.Start(spec).Exited;
            Assert.True(exit.Succeeded, File.ReadAllText(Path.Combine(dir.Root, "err")));
        }
        Assert.True(File.Exists(Path.Combine(tmp, "here"))); // /var/tmp is still private
    }

    [Fact]
    public async Task RlimitFallback_StopsAMemoryHog_AndCapsTheWorkspaceUsersProcesses()
    {
        Machine.RequireRoot();
        var user = WorkspaceUser.Ensure("isotest-rlimit");
        using var ws = new TestWorkspace();
        var isolation = new AgentIsolation(user, new ResourceLimits(MemoryBytes: 64L << 20, MaxProcesses: 8))
        {
            Enforcement = LimitEnforcement.Rlimits("forced by the test"),
        };
        var (run, outcome) = await ws.RunAsync(
            """
            name: rlimits
            agents:
              hog:
                run: head -c 600M /dev/zero | tail
              forks:
                needs: []
                timeout: 5s
                run: |
                  for i in $(seq 1 20); do sleep 300 & done
                  echo "spawned 20"
            """,
            options: Machine.Options(isolation)
        );

        Assert.Equal(Runs.RunStatus.Failed, outcome.Status);
        var hog = Engine.EngineProbe.Single(run, "hog.failed");
        Assert.Equal("memory", hog.GetString("reason"));
        Assert.Contains("64 MiB memory limit (RLIMIT_AS", hog.GetString("message"));
        Assert.Equal(Runs.AgentStatus.Failed, Engine.EngineProbe.StatusOf(run, "forks"));
        Assert.DoesNotContain("spawned 20", File.ReadAllText(Path.Combine(run.AgentDir("forks"), "stdout.log")));
    }

    /// <summary>/sys/fs/cgroup/memory/a/b/baton → /a/b/baton, as /proc/PID/cgroup shows it.</summary>
    private static string MountRelative(string parent)
    {
        var parts = parent.Split('/');
        return "/" + string.Join('/', parts.Skip(5));
    }
}
