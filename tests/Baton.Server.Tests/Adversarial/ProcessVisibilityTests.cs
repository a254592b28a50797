using System.Net;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// Issue 11 item 3, as an attacker would try it: an agent of workspace B lists every process's
/// command line and the cgroup folders while an agent of workspace A runs with a canary on its
/// command line. B must learn neither the canary nor A's workspace name nor A's run id.
/// </summary>
public class ProcessVisibilityTests
{
    [Fact]
    public async Task AgentOfB_ListingProcAndCgroups_SeesNothingOfA()
    {
        Assert.True(Environment.UserName == "root", "isolation tests need root (CI runs as root)");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string wsA = $"pv-a-{suffix}",
            wsB = $"pv-b-{suffix}",
            canary = $"a-canary-{suffix}";
        await using var server = await TestServer.StartAsync();
        using var a = server.Client(server.Token(wsA, Role.Owner));
        using var b = server.Client(server.Token(wsB, Role.Owner));
        await Put(
            a,
            wsA,
            "hold",
            """
            name: hold
            inputs:
              canary: {}
            agents:
              hold:
                run: |
                  echo started > started
                  bash -c 'sleep 300; :' "$BATON_INPUT_CANARY"
            """
        );
        await Put(
            b,
            wsB,
            "snoop",
            """
            name: snoop
            agents:
              snoop:
                run: |
                  for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do tr '\0' ' ' 2>/dev/null < "$f" || true; echo; done
                  ls -R /sys/fs/cgroup/*/ 2>/dev/null | grep -v '^$' || true
                  ps -eo pid,user,args 2>/dev/null || true
                  echo "own: $(tr '\0' ' ' < /proc/self/cmdline)"
            """
        );
        var hold = await Start(a, wsA, "hold", new { canary });
        var started = Path.Combine(server.Data.WorkspacePath(wsA), "runs", hold, "work", "started");
        await WaitFor(() => File.Exists(started), "A's agent never started");
        // The canary is really out there: `started` is written before the script starts the bash that carries it,
        // so its command line is waited for, not expected at once (it was missed once on a loaded machine).
        await WaitFor(
            () => CommandLines().Any(line => line.Contains(canary, StringComparison.Ordinal)),
            "A's agent never ran the process with the canary in its command line"
        );

        var snoop = await Start(b, wsB, "snoop", null);
        var snooped = await TestServer.WaitForStatus(b, wsB, snoop, "succeeded", "failed");
        Assert.Equal("succeeded", snooped.GetProperty("status").GetString());
        var output = await b.GetStringAsync($"/api/workspaces/{wsB}/runs/{snoop}/agents/snoop/output");

        Assert.Contains("own: tr", output, StringComparison.Ordinal); // B still sees its own processes
        Assert.DoesNotContain(canary, output, StringComparison.Ordinal);
        Assert.DoesNotContain(wsA, output, StringComparison.Ordinal);
        Assert.DoesNotContain(hold, output, StringComparison.Ordinal);
        Assert.DoesNotContain("testhost", output, StringComparison.Ordinal); // not even the server's (this test host's) command line

        Assert.Equal(
            HttpStatusCode.Accepted,
            (await a.PostAsync($"/api/workspaces/{wsA}/runs/{hold}/cancel", null)).StatusCode
        );
        await TestServer.WaitForStatus(a, wsA, hold, "cancelled");
        Assert.DoesNotContain(CommandLines(), line => line.Contains(canary, StringComparison.Ordinal)); // cancel still kills it
    }

    /// <summary>Every process's command line as the server (root, on the host's /proc) sees it.</summary>
    private static List<string> CommandLines()
    {
        var lines = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
                continue;
            try
            {
                lines.Add(File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return lines;
    }

    private static async Task Put(HttpClient client, string ws, string name, string yaml)
    {
        var put = await client.PutAsync($"/api/workspaces/{ws}/chains/{name}", TestServer.Yaml(yaml));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    private static async Task<string> Start(HttpClient client, string ws, string chain, object? inputs)
    {
        var created = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain, inputs }));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await TestServer.ReadJson(created)).GetProperty("id").GetString()!;
    }

    private static async Task WaitFor(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
