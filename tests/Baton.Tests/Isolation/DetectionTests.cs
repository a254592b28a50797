using Baton.Isolation;

namespace Baton.Tests.Isolation;

public class DetectionTests
{
    [Fact]
    public void ThisMachine_HasCgroupV1_BecauseItsUnifiedHierarchyHasNoControllers()
    {
        Machine.RequireRoot();
        var detected = LimitEnforcement.Detect();
        // This machine (and CI): cgroup2 at /sys/fs/cgroup/unified with nothing in cgroup.subtree_control.
        Assert.True(detected.Kind == EnforcementKind.CgroupV1, $"expected cgroup v1 here, got: {detected.Describe()}");
        Assert.StartsWith("agent limits: cgroup v1", detected.Describe(), StringComparison.Ordinal);
        Assert.Contains("/sys/fs/cgroup/unified", detected.Describe(), StringComparison.Ordinal);
        Assert.StartsWith("/sys/fs/cgroup/memory/", detected.MemoryParent, StringComparison.Ordinal);
        Assert.EndsWith("/baton", detected.PidsParent, StringComparison.Ordinal);
    }

    [Fact]
    public void UnifiedHierarchyWithMemoryAndPidsEnabled_IsCgroupV2_UnderTheEnginesOwnCgroup()
    {
        Machine.RequireRoot();
        using var fake = new TestWorkspace();
        var own = Directory.CreateDirectory(Path.Combine(fake.Root, "cg", "system.slice", "baton.service")).FullName;
        File.WriteAllText(Path.Combine(own, "cgroup.subtree_control"), "cpu memory pids\n");
        var mounts = fake.Write("mounts", $"cgroup2 {fake.Root}/cg cgroup2 rw,nosuid 0 0\n");
        var cgroup = fake.Write("cgroup", "0::/system.slice/baton.service\n");

        var detected = LimitEnforcement.Detect(mounts, cgroup);

        Assert.Equal(EnforcementKind.CgroupV2, detected.Kind);
        Assert.Equal(Path.Combine(own, "baton"), detected.MemoryParent);
        Assert.Equal(detected.MemoryParent, detected.CpuParent);
    }

    [Fact]
    public void NoUsableCgroups_FallsBackToRlimits_AndSaysWhy()
    {
        Machine.RequireRoot();
        using var fake = new TestWorkspace();
        Directory.CreateDirectory(Path.Combine(fake.Root, "cg"));
        var mounts = fake.Write("mounts", $"cgroup2 {fake.Root}/cg cgroup2 rw 0 0\n");
        var cgroup = fake.Write("cgroup", "0::/\n");

        var detected = LimitEnforcement.Detect(mounts, cgroup);

        Assert.Equal(EnforcementKind.Rlimits, detected.Kind);
        Assert.Contains("rlimits only", detected.Describe(), StringComparison.Ordinal);
        Assert.Contains("no memory+pids", detected.Describe(), StringComparison.Ordinal);
        Assert.Contains("no writable cgroup v1", detected.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docs", "baton-docs")]
    [InlineData("a-workspace-name-of-31-chars-xx", "baton-a-workspace-name-")]
    [InlineData("Team.One", "baton-team-one-")]
    public void UserNames_AreSafe_AtMost32Chars_AndDistinct(string workspace, string expectedStart)
    {
        var name = WorkspaceUser.NameFor(workspace);
        Assert.StartsWith(expectedStart, name, StringComparison.Ordinal);
        Assert.True(name.Length <= 32, name);
        Assert.Matches("^[a-z][a-z0-9_-]*$", name);
        Assert.NotEqual(WorkspaceUser.NameFor("team-one"), WorkspaceUser.NameFor("Team.One"));
    }
}
