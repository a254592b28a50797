using System.Net;
using Baton.Isolation;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

/// <summary>Real Unix users and cgroups (CI runs as root): one workspace's agents cannot reach another's.</summary>
public class IsolationTests
{
    private static async Task<string> Start(HttpClient client, string ws, string chain, object? inputs = null)
    {
        var created = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain, inputs }));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await TestServer.ReadJson(created)).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task AgentOfB_CannotReadAsFolder_TheServersFiles_OrTheEnvironmentOfAsProcesses()
    {
        Assert.True(Environment.UserName == "root", "isolation tests need root (CI runs as root)");
        await using var server = await TestServer.StartAsync();
        using var a = server.Client(server.Token("iso-a", Role.Owner));
        using var b = server.Client(server.Token("iso-b", Role.Owner));
        await a.PutAsync(
            "/api/workspaces/iso-a/chains/hold",
            TestServer.Yaml(
                """
                name: hold
                agents:
                  hold:
                    env: { A_PRIVATE: a-canary-value }
                    run: |
                      echo $$ > pid
                      sleep 300
                """
            )
        );
        await b.PutAsync(
            "/api/workspaces/iso-b/chains/snoop",
            TestServer.Yaml(
                """
                name: snoop
                inputs:
                  target: {}
                  data: {}
                  pid: {}
                agents:
                  snoop:
                    run: |
                      id -un
                      ls "$BATON_INPUT_TARGET" >/dev/null 2>&1 && echo "LISTED workspace" || echo "denied list"
                      ls "$BATON_INPUT_DATA/workspaces" >/dev/null 2>&1 && echo "LISTED workspaces" || echo "denied workspace names"
                      cat "$BATON_INPUT_TARGET/baton.yaml" >/dev/null 2>&1 && echo "READ config" || echo "denied config"
                      cat "$BATON_INPUT_DATA/server/tokens.json" >/dev/null 2>&1 && echo "READ tokens" || echo "denied tokens"
                      cat "$BATON_INPUT_DATA/server/master.key" >/dev/null 2>&1 && echo "READ key" || echo "denied key"
                      cat "/proc/$BATON_INPUT_PID/environ" 2>/dev/null | tr '\0' '\n' | grep -q a-canary && echo "READ environ" || echo "denied environ"
                      touch "$BATON_RUN_DIR/../../mine" 2>/dev/null && echo "WROTE workspace root" || echo "denied workspace root"
                      touch "$BATON_RUN_DIR/work/mine" && echo "wrote work"
                """
            )
        );
        var hold = await Start(a, "iso-a", "hold");
        var pidFile = Path.Combine(server.Data.WorkspacePath("iso-a"), "runs", hold, "work", "pid");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "A's agent never started");
            await Task.Delay(50);
        }
        var pid = File.ReadAllText(pidFile).Trim();

        var snoop = await Start(
            b,
            "iso-b",
            "snoop",
            new
            {
                target = server.Data.WorkspacePath("iso-a"),
                data = server.DataPath,
                pid,
            }
        );
        await TestServer.WaitForStatus(b, "iso-b", snoop, "succeeded");
        var output = await b.GetStringAsync($"/api/workspaces/iso-b/runs/{snoop}/agents/snoop/output");

        Assert.Equal(
            $"{WorkspaceUser.NameFor("iso-b")}\ndenied list\ndenied workspace names\ndenied config\ndenied tokens\ndenied key\ndenied environ\ndenied workspace root\nwrote work\n",
            output
        );
        await a.PostAsync($"/api/workspaces/iso-a/runs/{hold}/cancel", null);
        await TestServer.WaitForStatus(a, "iso-a", hold, "cancelled");
    }

    [Fact]
    public async Task MemoryHog_FailsAlone_WithReasonMemory()
    {
        Assert.NotEqual(EnforcementKind.Rlimits, LimitEnforcement.Detected.Kind);
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("hog", Role.Owner));
        File.WriteAllText(
            Path.Combine(server.Data.WorkspacePath("hog"), "baton.yaml"),
            "limits:\n  agent_memory: 64Mi\n"
        );
        await owner.PutAsync(
            "/api/workspaces/hog/chains/hog",
            TestServer.Yaml(
                """
                name: hog
                agents:
                  hog:
                    run: |
                      python3 -c "x = bytearray(400 * 1024 * 1024); print(len(x))"
                  fine:
                    needs: []
                    run: echo fine
                """
            )
        );
        var id = await Start(owner, "hog", "hog");
        var run = await TestServer.WaitForStatus(owner, "hog", id, "failed");
        Assert.Equal("memory", run.GetProperty("agents").GetProperty("hog").GetProperty("reason").GetString());
        Assert.Equal("done", run.GetProperty("agents").GetProperty("fine").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/healthz")).StatusCode); // the server lives on
    }

    [Fact]
    public async Task ForkBomb_IsContained_ByTheProcessLimit()
    {
        Assert.NotEqual(EnforcementKind.Rlimits, LimitEnforcement.Detected.Kind);
        await using var server = await TestServer.StartAsync();
        using var owner = server.Client(server.Token("bomb", Role.Owner));
        File.WriteAllText(
            Path.Combine(server.Data.WorkspacePath("bomb"), "baton.yaml"),
            "limits:\n  agent_processes: 40\n"
        );
        await owner.PutAsync(
            "/api/workspaces/bomb/chains/bomb",
            TestServer.Yaml(
                """
                name: bomb
                agents:
                  bomb:
                    timeout: 5s
                    run: |
                      for i in $(seq 1 2000); do sleep 60 & done
                      echo "spawned 2000 processes"
                      exit 3
                """
            )
        );
        var id = await Start(owner, "bomb", "bomb");
        var run = await TestServer.WaitForStatus(owner, "bomb", id, "failed");
        Assert.Equal("failed", run.GetProperty("agents").GetProperty("bomb").GetProperty("status").GetString());
        var stderr = await owner.GetStringAsync($"/api/workspaces/bomb/runs/{id}/agents/bomb/logs/stderr");
        Assert.Contains("fork", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(
            "spawned 2000 processes",
            await owner.GetStringAsync($"/api/workspaces/bomb/runs/{id}/agents/bomb/logs/stdout")
        );
        var uid = WorkspaceUser.Ensure("bomb").Uid;
        var left = Directory
            .EnumerateDirectories("/proc")
            .Count(d => int.TryParse(Path.GetFileName(d), out _) && ProcessUid(d) == uid && !IsZombie(d));
        Assert.Equal(0, left);
        var cgroups = LimitEnforcement.Detected.PidsParent!;
        Assert.False(
            Subfolders(cgroups).Any(d => Subfolders(d).Any(x => x.Contains(id, StringComparison.Ordinal))),
            "the agent's cgroup is removed once it is empty"
        );
    }

    // Other tests (and other servers on this machine) remove their own cgroups while this one looks.
    private static List<string> Subfolders(string path)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(path)];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static int? ProcessUid(string procDir)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(procDir, "status"))
                .FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return line is null
                ? null
                : int.Parse(
                    line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1],
                    System.Globalization.CultureInfo.InvariantCulture
                );
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsZombie(string procDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDir, "stat")).Split(") ")[1][0] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    [Fact]
    public void Detection_SaysWhichEnforcementIsInForce()
    {
        var detected = LimitEnforcement.Detect();
        Assert.Contains(
            detected.Kind switch
            {
                EnforcementKind.CgroupV1 => "cgroup v1",
                EnforcementKind.CgroupV2 => "cgroup v2",
                _ => "rlimits",
            },
            detected.Describe()
        );
    }

    [Fact]
    public async Task AfterTheServerDied_ItsAgentsCgroups_AreEmptiedAndRemoved_WhenTheRunResumes()
    {
        var enforcement = LimitEnforcement.Detected;
        Assert.True(enforcement.UsesCgroups, $"this test needs cgroups: {enforcement.Describe()}");
        var (dataPath, token) = await TestServer.StoppedWithChainAsync(
            "leftover",
            "work",
            "name: work\nagents:\n  step:\n    run: echo done\n"
        );

        // What a server killed mid-agent leaves: the run says step started (attempt 1), and that
        // attempt's cgroup still holds a process (one without Baton's variables, so only the cgroup finds it).
        var workspace = Baton.Workspaces.Workspace.Open(Path.Combine(dataPath, "workspaces", "leftover"));
        var chainYaml = File.ReadAllText(Path.Combine(workspace.Root, "chains", "work.yaml"));
        var run = await Baton.Runs.RunCreator.CreateAsync(
            workspace,
            Baton.Chains.ChainLoader.Load("work.yaml", chainYaml, _ => null),
            chainYaml,
            new Dictionary<string, string>(),
            Baton.Events.GroupCommitter.Shared
        );
        var log = Baton.Events.EventLog.Open(run.Events, Baton.Events.GroupCommitter.Shared, out _);
        log.Append(new Baton.Events.RunStarted("", run.Id), null, 0);
        await log.Append(new Baton.Events.AgentStarted(), "step", 1).Durable;
        var cgroup = Path.Combine(enforcement.PidsParent!, "leftover", $"{run.Id}-step-1");
        Directory.CreateDirectory(cgroup);
        using var orphan = System.Diagnostics.Process.Start("sleep", "300");
        try
        {
            File.WriteAllText(
                Path.Combine(cgroup, "cgroup.procs"),
                orphan.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
            );

            await using var second = await TestServer.StartAsync(dataPath);
            using var owner = second.Client(token);
            var resumed = await TestServer.WaitForStatus(owner, "leftover", run.Id, "succeeded");

            Assert.True(
                orphan.WaitForExit(TimeSpan.FromSeconds(10)),
                "the interrupted attempt's process is still alive"
            );
            Assert.False(Directory.Exists(cgroup), $"{cgroup} was left behind");
            Assert.Equal(2, resumed.GetProperty("agents").GetProperty("step").GetProperty("attempts").GetInt32());
        }
        finally
        {
            if (!orphan.HasExited)
            {
                orphan.Kill();
                orphan.WaitForExit();
            }
            if (Directory.Exists(cgroup))
                Directory.Delete(cgroup);
        }
    }
}
