using System.Net;
using Baton.Server.Auth;
using Baton.Server.Hosting;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// Issue 11 item 7: a workspace owner could set agent_processes up to 1,000,000 and
/// max_concurrent_runs up to 100,000, with no agent memory limit by default. The operator's
/// ceilings now cap what the agents really get (read back from their own cgroups).
/// </summary>
public class OperatorLimitTests
{
    [Fact]
    public async Task TenantLimitsAboveTheCeilings_AreCapped_AndUnsetMemoryGetsTheDefault()
    {
        Assert.True(Environment.UserName == "root", "isolation tests need root (CI runs as root)");
        var ws = $"ceil-{Guid.NewGuid().ToString("N")[..8]}";
        await using var server = await TestServer.StartAsync(
            settings: new ServerSettings
            {
                Limits = new OperatorLimits
                {
                    MaxAgentProcesses = 64,
                    MaxConcurrentRuns = 1,
                    DefaultAgentMemoryBytes = 96L << 20,
                },
            }
        );
        using var owner = server.Client(server.Token(ws, Role.Owner));
        File.WriteAllText(
            Path.Combine(server.Data.WorkspacePath(ws), "baton.yaml"),
            "limits:\n  agent_processes: 1000000\n  max_concurrent_runs: 100000\n"
        );
        var put = await owner.PutAsync(
            $"/api/workspaces/{ws}/chains/probe",
            TestServer.Yaml(
                """
                name: probe
                agents:
                  probe:
                    run: |
                      pids=$(grep ':pids:' /proc/self/cgroup | cut -d: -f3)
                      memory=$(grep ':memory:' /proc/self/cgroup | cut -d: -f3)
                      echo "pids.max $(cat /sys/fs/cgroup/pids$pids/pids.max)"
                      echo "memory $(cat /sys/fs/cgroup/memory$memory/memory.limit_in_bytes)"
                      sleep 2
                """
            )
        );
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var first = await Start(owner, ws);
        var second = await Start(owner, ws);
        await TestServer.WaitForStatus(owner, ws, second, "queued"); // max_concurrent_runs capped to 1
        await TestServer.WaitForStatus(owner, ws, first, "succeeded");
        var output = await owner.GetStringAsync($"/api/workspaces/{ws}/runs/{first}/agents/probe/output");
        Assert.Equal($"pids.max 64\nmemory {96L << 20}\n", output);
        await TestServer.WaitForStatus(owner, ws, second, "succeeded");
    }

    private static async Task<string> Start(HttpClient client, string ws)
    {
        var created = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "probe" }));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await TestServer.ReadJson(created)).GetProperty("id").GetString()!;
    }
}
