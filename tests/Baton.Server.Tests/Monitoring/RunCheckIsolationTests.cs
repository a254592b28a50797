using Baton.Isolation;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Monitoring;

/// <summary>Issue 15: a `run:` check runs as a `run:` agent does under the server — the workspace's user, in a cgroup of the run — never as root.</summary>
public class RunCheckIsolationTests
{
    [Fact]
    public async Task RunCheckUnderTheServer_RunsAsTheWorkspaceUserInTheRunsCgroup_NotAsRoot()
    {
        Assert.True(Environment.UserName == "root", "isolation tests need root (CI runs as root)");
        await using var server = await TestServer.StartAsync();
        var ws = $"chk-{Guid.NewGuid().ToString("N")[..8]}";
        using var client = server.Client(server.Token(ws, Role.Owner));
        await Adversarial.Tenants.PutChain(
            client,
            ws,
            "checked",
            """
            name: checked
            agents:
              write:
                run: echo "hello"
                checks:
                  - run: |
                      cgroup=no; grep -q "$BATON_RUN_ID" /proc/self/cgroup && cgroup=yes
                      echo "uid=$(id -u) cgroup=$cgroup read=$(cat "$BATON_CHECK_INPUT")"; exit 1
            """
        );
        var id = await Adversarial.Tenants.StartRun(client, ws, "checked");
        await TestServer.WaitForStatus(client, ws, id, "succeeded"); // a failed warn check: succeeded, not green

        var uid = WorkspaceUser.Lookup(WorkspaceUser.NameFor(ws))!.Uid;
        Assert.NotEqual(0, uid);
        var events = await client.GetStringAsync($"/api/workspaces/{ws}/runs/{id}/events");
        var cgroups = LimitEnforcement.Detected.UsesCgroups ? "yes" : "no";
        Assert.Contains($"uid={uid} cgroup={cgroups} read=hello", events, StringComparison.Ordinal);
    }
}
