using System.Net;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// Issue 11 item 2: a chain's `run:`/`prompt:` file reference that passes through a linked folder
/// (in home/, which the agents' user owns) had its final file checked only, so the run snapshot —
/// copied as root — took any root-readable file and printed it.
/// </summary>
public class ChainReferenceAttackTests
{
    [Fact]
    public async Task ReferenceThroughALinkedFolder_IsRefused_AndNothingIsCopied()
    {
        await using var t = await Tenants.StartAsync();
        var home = Directory.CreateDirectory(Path.Combine(t.RootA, "home")).FullName;
        File.WriteAllText(Path.Combine(t.OutsideFolder, "c.sh"), "cat <<'EOF'\n" + t.RootCanary + "\nEOF\n");
        File.SetUnixFileMode(Path.Combine(t.OutsideFolder, "c.sh"), UnixFileMode.UserRead);
        Directory.CreateSymbolicLink(Path.Combine(home, "lib"), t.OutsideFolder); // a folder link out of the workspace
        Directory.CreateSymbolicLink(Path.Combine(home, "b"), Path.Combine(t.RootB, "home")); // into the other tenant's home
        File.CreateSymbolicLink(Path.Combine(home, "c.sh"), "b/.git-credentials"); // a file link whose text stays inside, through the folder link
        File.WriteAllText(Path.Combine(home, "inside.sh"), "echo inside\n");
        File.CreateSymbolicLink(Path.Combine(home, "inside-link.sh"), "inside.sh"); // a link that stays inside: allowed

        foreach (var reference in new[] { "../home/lib/c.sh", "../home/c.sh", "../home/lib/../lib/c.sh" })
        {
            var put = await t.Attacker.PutAsync(
                $"/api/workspaces/{t.A}/chains/steal",
                TestServer.Yaml($"name: steal\nagents:\n  a:\n    run: {reference}\n")
            );
            Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
            Assert.Contains("outside the workspace", await put.Content.ReadAsStringAsync());
        }
        // A chain stored before the link was planted is refused when a run would snapshot it.
        await Tenants.PutChain(
            t.Attacker,
            t.A,
            "later",
            "name: later\nagents:\n  a:\n    run: ../home/inside-link.sh\n"
        );
        File.WriteAllText(
            Path.Combine(t.RootA, "chains", "later.yaml"),
            "name: later\nagents:\n  a:\n    run: ../home/lib/c.sh\n"
        );
        var start = await t.Attacker.PostAsync($"/api/workspaces/{t.A}/runs", TestServer.Json(new { chain = "later" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, start.StatusCode);
        await t.Attacker.GetAsync($"/api/workspaces/{t.A}/chains");

        Assert.Empty(Tenants.FilesHolding(t.RootA, t.RootCanary));
        t.AssertNothingOfBReachedA();
    }

    [Fact]
    public async Task ReferenceThroughALinkInsideTheWorkspace_StillWorks()
    {
        await using var t = await Tenants.StartAsync();
        var scripts = Directory.CreateDirectory(Path.Combine(t.RootA, "scripts")).FullName;
        File.WriteAllText(Path.Combine(scripts, "real.sh"), "echo from-real\n");
        File.CreateSymbolicLink(Path.Combine(scripts, "alias.sh"), "real.sh");
        Directory.CreateSymbolicLink(Path.Combine(t.RootA, "lib"), "scripts");

        await Tenants.PutChain(t.Attacker, t.A, "ok", "name: ok\nagents:\n  a:\n    run: ../lib/alias.sh\n");
        var id = await Tenants.StartRun(t.Attacker, t.A, "ok");
        await TestServer.WaitForStatus(t.Attacker, t.A, id, "succeeded");

        Assert.Equal(
            "from-real\n",
            await t.Attacker.GetStringAsync($"/api/workspaces/{t.A}/runs/{id}/agents/a/logs/stdout")
        );
    }
}
