using Baton.Server.Auth;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// /tmp, /var/tmp and /dev/shm are shared by every user of the host: a file one workspace's agent
/// leaves there with the default umask (0644) would be readable by every other workspace's agents.
/// Each workspace's agents see its own tmp/ there instead.
/// </summary>
public class SharedTmpTests
{
    [Fact]
    public async Task FileLeftInTmpByA_IsNotSeenByB_ButByALaterAgentOfA()
    {
        Assert.True(Environment.UserName == "root", "isolation tests need root (CI runs as root)");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string wsA = $"tmp-a-{suffix}",
            wsB = $"tmp-b-{suffix}",
            canary = $"tmp-canary-{suffix}";
        // The data folder outside the host's /tmp, as in a real deployment (one under /tmp keeps the host's /tmp for its agents).
        await using var server = await TestServer.StartAsync(
            Path.Combine("/srv", "baton-server-tests", Guid.NewGuid().ToString("N")[..12])
        );
        using var a = server.Client(server.Token(wsA, Role.Owner));
        using var b = server.Client(server.Token(wsB, Role.Owner));
        await Put(
            a,
            wsA,
            "leave",
            $$"""
            name: leave
            agents:
              leave:
                run: |
                  for t in /tmp /var/tmp /dev/shm; do echo {{canary}} > "$t/note-{{suffix}}"; done
                  cat /tmp/note-{{suffix}}
            """
        );
        await Put(
            a,
            wsA,
            "again",
            $$"""
            name: again
            agents:
              again:
                run: cat /tmp/note-{{suffix}}
            """
        );
        await Put(
            b,
            wsB,
            "snoop",
            $$"""
            name: snoop
            agents:
              snoop:
                run: |
                  ls -la /tmp /var/tmp /dev/shm
                  cat /tmp/note-{{suffix}} /var/tmp/note-{{suffix}} /dev/shm/note-{{suffix}} 2>&1 || true
                  grep -rs {{canary}} /tmp /var/tmp /dev/shm || echo nothing found
            """
        );

        Assert.Contains(canary, await RunAndRead(a, wsA, "leave"));
        var snooped = await RunAndRead(b, wsB, "snoop");
        Assert.DoesNotContain(canary, snooped, StringComparison.Ordinal);
        Assert.Contains("nothing found", snooped, StringComparison.Ordinal);
        Assert.Contains(canary, await RunAndRead(a, wsA, "again")); // the workspace's own agents still share it
        // The host's /tmp holds nothing of A's: the file went to A's workspace tmp/.
        Assert.False(File.Exists($"/tmp/note-{suffix}"));
        Assert.True(File.Exists(Path.Combine(server.Data.WorkspacePath(wsA), "tmp", $"note-{suffix}")));
    }

    private static async Task<string> RunAndRead(HttpClient client, string ws, string chain)
    {
        var created = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain }));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await TestServer.ReadJson(created)).GetProperty("id").GetString()!;
        var run = await TestServer.WaitForStatus(client, ws, id, "succeeded", "failed");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        return await client.GetStringAsync($"/api/workspaces/{ws}/runs/{id}/agents/{chain}/output");
    }

    private static async Task Put(HttpClient client, string ws, string name, string yaml)
    {
        var put = await client.PutAsync($"/api/workspaces/{ws}/chains/{name}", TestServer.Yaml(yaml));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }
}
