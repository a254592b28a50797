using System.Net;
using System.Text.Json;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// The sweep: a symlink planted, one at a time, at every path of a workspace that root reads or
/// writes — through the API and during a run's life — leads nowhere. Each link points at what the
/// other tenant (or root) keeps at that place; with each in place tenant A drives every API call and
/// a whole run (whose own agent, as A's user, plants links, a FIFO and hard links in every folder it can write).
/// Afterwards B's workspace, a folder outside every workspace and a root-only file are byte for byte
/// as they were, and no answer A got holds anything of B's or root's.
/// </summary>
public class LinkSweepTests
{
    private const string SweepChain = """
        name: sweep
        workdir: work/w
        agents:
          a:
            secrets: [CANARY]
            run: ../prompts/a.sh
          review:
            decision:
              show: "{{ agents.a.output }}"
        """;

    [Fact]
    public async Task LinkAtEveryPathRootTouches_ReachesNothingOutsideTheWorkspace()
    {
        await using var t = await Tenants.StartAsync();
        Directory.CreateDirectory(Path.Combine(t.RootA, "prompts"));
        File.WriteAllText(
            Path.Combine(t.RootA, "prompts", "a.sh"),
            $"""
            echo "a says $CANARY"
            ln -s {t.RootOnlyFile} "$BATON_INBOX/root.json" || true
            ln -s {t.HomeCredentialsOfB} "$BATON_INBOX/creds.json" || true
            ln -s {t.RootB}/.baton "$HOME/.baton-of-b" || true
            mkfifo "$BATON_INBOX/fifo.json" || true
            ln {t.RootOnlyFile} "$BATON_INBOX/hard.json" 2>/dev/null || true
            ln {t.RootB}/.baton/secrets.json "$HOME/hard-secrets" 2>/dev/null || true
            ln -s {t.RootOnlyFile} "$PWD/root-link" || true
            """ + "\necho '{\"ok\": true}' > \"$BATON_INBOX/note.json\"\n"
        );
        await Tenants.PutChain(t.Attacker, t.A, "sweep", SweepChain);
        var finished = await RunToEnd(t);
        Assert.Equal("succeeded", finished);
        var runs = Directory.GetDirectories(Path.Combine(t.RootA, "runs"));
        var r = Path.GetRelativePath(t.RootA, Assert.Single(runs));
        var victim = await t.VictimRunWaitingAsync();
        var rb = Path.Combine("runs", victim);

        // Where each link leads: to B's counterpart where B has one, else to the root-only file or the outside folder.
        var plants = new (string Path, string Target)[]
        {
            (".baton", Path.Combine(t.RootB, ".baton")),
            (".baton/secrets.json", Path.Combine(t.RootB, ".baton", "secrets.json")),
            (".baton/secrets.lock", t.RootOnlyFile),
            ("chains", Path.Combine(t.RootB, "chains")),
            ("chains/sweep.yaml", Path.Combine(t.RootB, "chains", "victim.yaml")),
            ("baton.yaml", Path.Combine(t.RootB, "baton.yaml")),
            ("audit.jsonl", Path.Combine(t.RootB, "audit.jsonl")),
            ("runs", Path.Combine(t.RootB, "runs")),
            ("home", Path.Combine(t.RootB, "home")),
            ("work", t.OutsideFolder),
            ("work/w", t.OutsideFolder),
            ("prompts", t.OutsideFolder),
            ("prompts/a.sh", t.RootOnlyFile),
            (r, Path.Combine(t.RootB, rb)),
            ($"{r}/events", Path.Combine(t.RootB, rb, "events")),
            ($"{r}/inbox", Path.Combine(t.RootB, rb, "inbox")),
            ($"{r}/agents", Path.Combine(t.RootB, rb, "agents")),
            ($"{r}/agents/a", Path.Combine(t.RootB, rb, "agents", "work")),
            ($"{r}/agents/a/output", Path.Combine(t.RootB, rb, "agents", "work", "output")),
            ($"{r}/agents/a/stdout.log", t.RootOnlyFile),
            ($"{r}/chain.yaml", Path.Combine(t.RootB, rb, "chain.yaml")),
            ($"{r}/prompts", t.OutsideFolder),
            ($"{r}/work", t.OutsideFolder),
        };

        var bBefore = Tenants.Snapshot(t.RootB);
        var outsideBefore = Tenants.Snapshot(t.OutsideFolder);
        var refusedWith500 = new List<string>();
        foreach (var (path, target) in plants)
        {
            using (Tenants.Plant(Path.Combine(t.RootA, path), target))
            {
                refusedWith500.AddRange((await Battery(t, r)).Select(call => $"{path}: {call}"));
            }
            Tenants.AssertUnchanged(bBefore, t.RootB, $"with a link at {path}");
            Tenants.AssertUnchanged(outsideBefore, t.OutsideFolder, $"with a link at {path}");
            Assert.Equal(t.RootCanary + "\n", File.ReadAllText(t.RootOnlyFile));
        }

        t.AssertNothingOfBReachedA();
        var named = t
            .Answers.Where(a =>
                a.Contains(victim, StringComparison.Ordinal) || a.Contains(t.B, StringComparison.Ordinal)
            )
            .ToList();
        Assert.True(named.Count == 0, $"answers to A naming B or its run:\n{string.Join("\n---\n", named)}");
        var run = await TestServer.ReadJson(await t.Victim.GetAsync($"/api/workspaces/{t.B}/runs/{victim}"));
        Assert.Equal("waiting", run.GetProperty("status").GetString());
        Assert.True(
            refusedWith500.Count == 0,
            $"answered 500 (a refusal should say why):\n{string.Join("\n", refusedWith500)}"
        );
    }

    /// <summary>Every call tenant A can make, and a whole run; returns the calls that answered 500.</summary>
    private static async Task<List<string>> Battery(Tenants t, string finishedRun)
    {
        var ws = $"/api/workspaces/{t.A}";
        var id = Path.GetFileName(finishedRun);
        var errors = new List<string>();
        async Task Call(string what, Func<Task<HttpResponseMessage>> call)
        {
            var response = await call();
            if (response.StatusCode == HttpStatusCode.InternalServerError)
                errors.Add(what);
        }
        await Call("list chains", () => t.Attacker.GetAsync($"{ws}/chains"));
        await Call("get chain", () => t.Attacker.GetAsync($"{ws}/chains/sweep"));
        await Call("put chain", () => t.Attacker.PutAsync($"{ws}/chains/sweep", TestServer.Yaml(SweepChain)));
        await Call("get config", () => t.AttackerOwner.GetAsync($"{ws}/config"));
        await Call("put config", () => t.AttackerOwner.PutAsync($"{ws}/config", TestServer.Yaml("# settings\n")));
        await Call("list secrets", () => t.AttackerOwner.GetAsync($"{ws}/secrets"));
        await Call("set secret", () => t.AttackerOwner.PutAsync($"{ws}/secrets/OTHER", new StringContent("other")));
        await Call("delete secret", () => t.AttackerOwner.DeleteAsync($"{ws}/secrets/OTHER"));
        await Call("audit", () => t.AttackerOwner.GetAsync($"{ws}/audit"));
        await Call("costs", () => t.Attacker.GetAsync($"{ws}/costs"));
        await Call("list runs", () => t.Attacker.GetAsync($"{ws}/runs"));
        await Call("get run", () => t.Attacker.GetAsync($"{ws}/runs/{id}"));
        await Call("events", () => t.Attacker.GetAsync($"{ws}/runs/{id}/events"));
        await Call("output", () => t.Attacker.GetAsync($"{ws}/runs/{id}/agents/a/output"));
        await Call("stdout", () => t.Attacker.GetAsync($"{ws}/runs/{id}/agents/a/logs/stdout"));
        await Call("decisions", () => t.Attacker.GetAsync($"{ws}/decisions"));
        await Call("decisions count", () => t.Attacker.GetAsync($"{ws}/decisions/count"));
        await Call("decide a finished run", () =>
            t.Attacker.PostAsync($"{ws}/runs/{id}/decisions/review", TestServer.Json(new { decision = "approve" }))
        );
        await Call("cancel a finished run", () => t.Attacker.PostAsync($"{ws}/runs/{id}/cancel", null));
        await RunToEnd(t);
        return errors;
    }

    /// <summary>Starts the sweep chain and drives it to its end (approving its decision); its final status, or null if it never started.</summary>
    private static async Task<string?> RunToEnd(Tenants t)
    {
        var ws = $"/api/workspaces/{t.A}";
        var start = await t.Attacker.PostAsync($"{ws}/runs", TestServer.Json(new { chain = "sweep" }));
        if (start.StatusCode != HttpStatusCode.Created)
            return null;
        var id = (await TestServer.ReadJson(start)).GetProperty("id").GetString()!;
        var status = (
            await TestServer.WaitForStatus(t.Attacker, t.A, id, "waiting", "failed", "succeeded", "cancelled")
        )
            .GetProperty("status")
            .GetString();
        if (status != "waiting")
            return status;
        var cards = await TestServer.ReadJson(await t.Attacker.GetAsync($"{ws}/decisions"));
        var hash = cards.EnumerateArray().FirstOrDefault(c => c.GetProperty("run").GetString() == id)
            is { ValueKind: JsonValueKind.Object } card
            ? card.GetProperty("shown_hash").GetString()
            : null;
        await t.Attacker.PostAsync(
            $"{ws}/runs/{id}/decisions/review",
            TestServer.Json(new { decision = "approve", shown_hash = hash })
        );
        return (await TestServer.WaitForStatus(t.Attacker, t.A, id, "failed", "succeeded", "cancelled"))
            .GetProperty("status")
            .GetString();
    }
}
