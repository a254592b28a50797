using System.Net;
using System.Text.Json;
using Baton.Isolation;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// Issue 11 item 1: `workdir:` handed workspace folders to the agents' user, who then replaced them
/// (or files in them) with symlinks that root followed. Each test plays one step of that attack with
/// real symlinks on a real server running as root; the links are planted as the agent would have.
/// </summary>
public class WorkspaceFolderAttackTests
{
    [Theory]
    [InlineData(".")]
    [InlineData("chains")]
    [InlineData(".baton")]
    [InlineData("runs")]
    [InlineData("home")]
    public async Task WorkdirNamingAWorkspaceFolder_IsRefused_AndNothingIsHandedOver(string workdir)
    {
        await using var t = await Tenants.StartAsync();
        var before = File.GetUnixFileMode(t.RootA);
        var put = await t.Attacker.PutAsync(
            $"/api/workspaces/{t.A}/chains/grab",
            TestServer.Yaml(
                $"""
                name: grab
                workdir: {workdir}
                agents:
                  a: {"{"} run: touch mine {"}"}
                """
            )
        );

        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        var body = await put.Content.ReadAsStringAsync();
        Assert.Contains("chains/grab.yaml:2:10", body);
        Assert.Contains("work/", body);
        Assert.False(File.Exists(Path.Combine(t.RootA, "chains", "grab.yaml")));
        Assert.Equal(0, OwnerOf(t.RootA));
        Assert.Equal(before, File.GetUnixFileMode(t.RootA));
    }

    /// <summary>
    /// Issue 17: `baton run` accepts an absolute workdir (one user, their own machine); a server never does —
    /// not when the chain is saved, not when a chain put on disk by other means is started, and its engine
    /// refuses again whatever starts the run.
    /// </summary>
    [Fact]
    public async Task AbsoluteWorkdir_IsRefused_OnSave_AndOnStart_NothingWrittenThere()
    {
        await using var t = await Tenants.StartAsync();
        var target = Path.Combine(t.OutsideFolder, "project");
        var yaml = $"name: abs\nagents:\n  a:\n    workdir: {target}\n    run: touch mine\n";

        var put = await t.Attacker.PutAsync($"/api/workspaces/{t.A}/chains/abs", TestServer.Yaml(yaml));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        var body = await put.Content.ReadAsStringAsync();
        Assert.Contains("chains/abs.yaml:4:14", body);
        Assert.Contains("only 'baton run' may work outside the workspace", body);
        Assert.False(File.Exists(Path.Combine(t.RootA, "chains", "abs.yaml")));

        File.WriteAllText(Path.Combine(t.RootA, "chains", "abs.yaml"), yaml); // as a git pull or an admin would
        var start = await t.Attacker.PostAsync($"/api/workspaces/{t.A}/runs", TestServer.Json(new { chain = "abs" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, start.StatusCode);
        Assert.Contains("only 'baton run' may work outside the workspace", await start.Content.ReadAsStringAsync());
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task WorkdirUnderWork_IsHandedOverOnlyWhenBatonMadeIt()
    {
        await using var t = await Tenants.StartAsync();
        var made = Path.Combine(t.RootA, "work", "mine");
        var theirs = Directory.CreateDirectory(Path.Combine(t.RootA, "work", "theirs")).FullName; // made by someone else (root)
        await Tenants.PutChain(
            t.Attacker,
            t.A,
            "mine",
            "name: mine\nworkdir: work/mine\nagents:\n  a: { run: touch made-by-agent }\n"
        );
        await Tenants.PutChain(
            t.Attacker,
            t.A,
            "theirs",
            "name: theirs\nworkdir: work/theirs\nagents:\n  a: { run: touch made-by-agent }\n"
        );

        await TestServer.WaitForStatus(t.Attacker, t.A, await Tenants.StartRun(t.Attacker, t.A, "mine"), "succeeded");
        var refused = await Tenants.StartRun(t.Attacker, t.A, "theirs");
        await TestServer.WaitForStatus(t.Attacker, t.A, refused, "failed");

        Assert.Equal(t.UidOf(t.A), OwnerOf(made));
        Assert.True(File.Exists(Path.Combine(made, "made-by-agent")));
        Assert.Equal(0, OwnerOf(theirs));
        Assert.False(File.Exists(Path.Combine(theirs, "made-by-agent")));
        Assert.Equal(0, OwnerOf(Path.Combine(t.RootA, "work")));
    }

    [Fact]
    public async Task FoldersAnOldWorkdirHandedOver_AreTakenBackAtTheNextStart()
    {
        var (dataPath, token) = await TestServer.StoppedWithChainAsync(
            $"adv-old-{Guid.NewGuid():N}"[..16],
            "hi",
            "name: hi\nagents:\n  a: { run: echo hi }\n"
        );
        var ws = Path.GetFileName(Directory.GetDirectories(Path.Combine(dataPath, "workspaces")).Single());
        var root = Path.Combine(dataPath, "workspaces", ws);
        var user = WorkspaceUser.Ensure(ws);
        foreach (var name in new[] { "chains", "runs", ".baton", "work" })
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            Assert.Equal(0, Libc.lchown(Path.Combine(root, name), user.Uid, user.Gid)); // as `workdir: <name>` left it
        }

        await using var server = await TestServer.StartAsync(dataPath);
        using var client = server.Client(token);
        var id = (
            await TestServer.ReadJson(
                await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "hi" }))
            )
        )
            .GetProperty("id")
            .GetString()!;
        await TestServer.WaitForStatus(client, ws, id, "succeeded");

        foreach (var name in new[] { "chains", "runs", ".baton", "work" })
            Assert.Equal(0, OwnerOf(Path.Combine(root, name)));
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException) { }
    }

    [Fact]
    public async Task LinkedBatonFolder_DoesNotDecryptAnotherWorkspacesSecrets()
    {
        await using var t = await Tenants.StartAsync();
        await Tenants.PutChain(
            t.Attacker,
            t.A,
            "leak",
            """
            name: leak
            agents:
              a:
                secrets: [CANARY]
                run: echo "$CANARY" | rev
            """
        );
        using (Tenants.Plant(Path.Combine(t.RootA, ".baton"), Path.Combine(t.RootB, ".baton")))
        {
            var id = await Tenants.StartRun(t.Attacker, t.A, "leak");
            await TestServer.WaitForStatus(t.Attacker, t.A, id, "failed", "succeeded");
            await t.AttackerOwner.GetAsync($"/api/workspaces/{t.A}/secrets");
            await t.Attacker.GetAsync($"/api/workspaces/{t.A}/runs/{id}/agents/a/output");
            await t.Attacker.GetAsync($"/api/workspaces/{t.A}/runs/{id}/events");
        }
        var reversed = new string([.. t.CanaryOfB.Reverse()]);
        Assert.DoesNotContain(t.Answers, a => a.Contains(reversed, StringComparison.Ordinal));
        Assert.Empty(Tenants.FilesHolding(t.RootA, reversed));
        t.AssertNothingOfBReachedA();
    }

    [Fact]
    public async Task CopiedSecretsFile_DoesNotDecrypt_AndSaysWhy()
    {
        await using var t = await Tenants.StartAsync();
        File.Copy(
            Path.Combine(t.RootB, ".baton", "secrets.json"),
            Path.Combine(t.RootA, ".baton", "secrets.json"),
            overwrite: true
        );

        var error = Assert.Throws<Secrets.SecretStoreException>(() =>
            t.Server.Data.OpenWorkspace(t.A).Secrets().Get("CANARY")
        );
        Assert.Contains($"belongs to workspace '{t.B}', not '{t.A}'", error.Message);
    }

    [Fact]
    public async Task VersionOneSecretsStore_IsBoundToItsWorkspace_WhenTheServerStarts()
    {
        var ws = $"adv-v1-{Guid.NewGuid():N}"[..15];
        var (dataPath, _) = await TestServer.StoppedWithChainAsync(
            ws,
            "hi",
            "name: hi\nagents:\n  a: { run: echo hi }\n"
        );
        var root = Path.Combine(dataPath, "workspaces", ws);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var keyFile = Path.Combine(dataPath, "server", "master.key");
        File.WriteAllBytes(keyFile, key);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // As a server before this change wrote it: the secret's name alone is the associated data.
        var plain = System.Text.Encoding.UTF8.GetBytes("v1-value");
        var sealedValue = new byte[12 + plain.Length + 16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(sealedValue.AsSpan(0, 12));
        using (var aes = new System.Security.Cryptography.AesGcm(key, 16))
            aes.Encrypt(
                sealedValue.AsSpan(0, 12),
                plain,
                sealedValue.AsSpan(12, plain.Length),
                sealedValue.AsSpan(12 + plain.Length),
                System.Text.Encoding.UTF8.GetBytes("OLD")
            );
        Directory.CreateDirectory(Path.Combine(root, ".baton"));
        File.WriteAllText(
            Path.Combine(root, ".baton", "secrets.json"),
            "{\"version\": 1, \"cipher\": \"aes-256-gcm\", \"secrets\": {\"OLD\": \""
                + Convert.ToBase64String(sealedValue)
                + "\"}}"
        );

        await using (var server = await TestServer.StartAsync(dataPath))
        {
            var store = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, ".baton", "secrets.json"))).RootElement;
            Assert.Equal(2, store.GetProperty("version").GetInt32());
            Assert.Equal(ws, store.GetProperty("workspace").GetString());
            Assert.Equal("v1-value", server.Data.OpenWorkspace(ws).Secrets().Get("OLD"));
        }
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException) { }
    }

    [Fact]
    public async Task LinkedRunsFolder_ListsReadsAndApprovesNothingOfAnotherWorkspace()
    {
        await using var t = await Tenants.StartAsync();
        var victim = await t.VictimRunWaitingAsync();
        using (Tenants.Plant(Path.Combine(t.RootA, "runs"), Path.Combine(t.RootB, "runs")))
        {
            var list = await TestServer.ReadJson(await t.Attacker.GetAsync($"/api/workspaces/{t.A}/runs"));
            Assert.Empty(list.EnumerateArray());
            Assert.Empty(
                (
                    await TestServer.ReadJson(await t.Attacker.GetAsync($"/api/workspaces/{t.A}/decisions"))
                ).EnumerateArray()
            );
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await t.Attacker.GetAsync($"/api/workspaces/{t.A}/runs/{victim}")).StatusCode
            );
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await t.Attacker.GetAsync($"/api/workspaces/{t.A}/runs/{victim}/events")).StatusCode
            );
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await t.Attacker.GetAsync($"/api/workspaces/{t.A}/runs/{victim}/agents/work/output")).StatusCode
            );
            var approve = await t.Attacker.PostAsync(
                $"/api/workspaces/{t.A}/runs/{victim}/decisions/review",
                TestServer.Json(new { decision = "approve" })
            );
            Assert.Equal(HttpStatusCode.NotFound, approve.StatusCode);
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await t.Attacker.PostAsync($"/api/workspaces/{t.A}/runs/{victim}/cancel", null)).StatusCode
            );
        }
        var run = await TestServer.ReadJson(await t.Victim.GetAsync($"/api/workspaces/{t.B}/runs/{victim}"));
        Assert.Equal("waiting", run.GetProperty("status").GetString());
        t.AssertNothingOfBReachedA();
    }

    [Fact]
    public async Task LinkedChainsFolder_IsNeitherReadNorOverwritten()
    {
        await using var t = await Tenants.StartAsync();
        var chainsOfB = Tenants.Snapshot(Path.Combine(t.RootB, "chains"));
        using (Tenants.Plant(Path.Combine(t.RootA, "chains"), Path.Combine(t.RootB, "chains")))
        {
            var listed = await t.Attacker.GetAsync($"/api/workspaces/{t.A}/chains");
            Assert.Equal(HttpStatusCode.Conflict, listed.StatusCode); // the link is named, nothing behind it is listed
            Assert.NotEqual(
                HttpStatusCode.OK,
                (await t.Attacker.GetAsync($"/api/workspaces/{t.A}/chains/victim")).StatusCode
            );
            var put = await t.Attacker.PutAsync(
                $"/api/workspaces/{t.A}/chains/victim",
                TestServer.Yaml("name: victim\nagents:\n  work: { run: echo pwned }\n")
            );
            Assert.False(put.IsSuccessStatusCode);
            Assert.NotEqual(HttpStatusCode.InternalServerError, put.StatusCode);
        }
        Assert.Equal(chainsOfB, Tenants.Snapshot(Path.Combine(t.RootB, "chains")));
        t.AssertNothingOfBReachedA();
    }

    [Fact]
    public async Task PlantedTempFileLinks_AreNotWrittenThrough()
    {
        await using var t = await Tenants.StartAsync();
        var outsideBefore = Tenants.Snapshot(t.OutsideFolder);
        var configOfB = Tenants.Snapshot(t.RootB);
        // The names the server used for its temp files, each a link to a file it must not write.
        File.CreateSymbolicLink(
            Path.Combine(t.RootA, "chains", "mine.yaml.tmp"),
            Path.Combine(t.OutsideFolder, "keep.txt")
        );
        File.CreateSymbolicLink(Path.Combine(t.RootA, "baton.yaml.new"), Path.Combine(t.RootB, "baton.yaml"));
        Directory.CreateDirectory(Path.Combine(t.RootA, ".baton"));
        File.Delete(Path.Combine(t.RootA, ".baton", "secrets.json.tmp"));
        File.CreateSymbolicLink(Path.Combine(t.RootA, ".baton", "secrets.json.tmp"), t.RootOnlyFile);

        await Tenants.PutChain(t.Attacker, t.A, "mine", "name: mine\nagents:\n  a: { run: echo hi }\n");
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await t.AttackerOwner.PutAsync(
                    $"/api/workspaces/{t.A}/config",
                    TestServer.Yaml("limits:\n  max_concurrent_runs: 3\n")
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.UnprocessableEntity,
            (
                await t.AttackerOwner.PutAsync($"/api/workspaces/{t.A}/config", TestServer.Yaml("nonsense: [\n"))
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await t.AttackerOwner.PutAsync($"/api/workspaces/{t.A}/secrets/OTHER", new StringContent("x"))).StatusCode
        );

        Assert.Equal(outsideBefore, Tenants.Snapshot(t.OutsideFolder));
        Assert.Equal(configOfB, Tenants.Snapshot(t.RootB));
        Assert.Equal(t.RootCanary + "\n", File.ReadAllText(t.RootOnlyFile));
        Assert.Equal("limits:\n  max_concurrent_runs: 3\n", File.ReadAllText(Path.Combine(t.RootA, "baton.yaml")));
    }

    [Fact]
    public async Task ChainFileLinkedToARootOnlyFile_IsNotServed()
    {
        await using var t = await Tenants.StartAsync();
        File.CreateSymbolicLink(Path.Combine(t.RootA, "chains", "steal.yaml"), t.RootOnlyFile);
        File.CreateSymbolicLink(Path.Combine(t.RootA, "chains", "creds.yaml"), t.HomeCredentialsOfB);
        File.Delete(Path.Combine(t.RootA, "baton.yaml"));
        File.CreateSymbolicLink(Path.Combine(t.RootA, "baton.yaml"), t.RootOnlyFile);

        Assert.NotEqual(
            HttpStatusCode.OK,
            (await t.Attacker.GetAsync($"/api/workspaces/{t.A}/chains/steal")).StatusCode
        );
        Assert.NotEqual(
            HttpStatusCode.OK,
            (await t.Attacker.GetAsync($"/api/workspaces/{t.A}/chains/creds")).StatusCode
        );
        Assert.NotEqual(
            HttpStatusCode.OK,
            (await t.AttackerOwner.GetAsync($"/api/workspaces/{t.A}/config")).StatusCode
        );
        await t.Attacker.GetAsync($"/api/workspaces/{t.A}/chains");
        await t.Attacker.PostAsync($"/api/workspaces/{t.A}/runs", TestServer.Json(new { chain = "steal" }));

        t.AssertNothingOfBReachedA();
    }

    [Fact]
    public async Task AgentWritingADecisionIntoThePausedRunsInbox_DecidesNothing()
    {
        await using var t = await Tenants.StartAsync();
        var victim = await t.VictimRunWaitingAsync();
        var inbox = Path.Combine(t.RootB, "runs", victim, "inbox");
        // What an agent that was handed inbox/ (workdir: runs/<id>/inbox) could write there: a decision, as its own user.
        var forged = Path.Combine(inbox, "review.decided@forged.json");
        var temp = Path.Combine(inbox, ".forged.tmp");
        File.WriteAllText(temp, """{"decision":"approve","comment":"forged","by":"owner@b"}""");
        Assert.Equal(0, Libc.lchown(temp, t.UidOf(t.B), t.UidOf(t.B)));
        File.Move(temp, forged);

        // The engine looks at its inbox when told (a cancel) or at its next rescan: a real cancel wakes it.
        var events = await WaitForEvent(t.Victim, t.B, victim, "inbox.rejected");
        Assert.Contains("written by uid", events);
        var run = await TestServer.ReadJson(await t.Victim.GetAsync($"/api/workspaces/{t.B}/runs/{victim}"));
        Assert.Equal("waiting", run.GetProperty("status").GetString());
        Assert.DoesNotContain(JsonDocument.Parse(events).RootElement.EnumerateArray(), e =>
            e.GetProperty("type").GetString() == "review.decided"
        );
    }

    [Fact]
    public async Task AgentOfAnotherRun_CannotDropEventsIntoAFinishedAgentsInbox()
    {
        await using var t = await Tenants.StartAsync();
        await Tenants.PutChain(t.Attacker, t.A, "first", "name: first\nagents:\n  a: { run: echo first }\n");
        var first = await Tenants.StartRun(t.Attacker, t.A, "first");
        await TestServer.WaitForStatus(t.Attacker, t.A, first, "succeeded");
        await Tenants.PutChain(
            t.Attacker,
            t.A,
            "second",
            $$"""
            name: second
            agents:
              b:
                run: |
                  echo '{}' > "$BATON_RUN_DIR/../{{first}}/inbox/a/custom.json" && echo "WROTE" || echo "denied"
            """
        );

        var second = await Tenants.StartRun(t.Attacker, t.A, "second");
        await TestServer.WaitForStatus(t.Attacker, t.A, second, "succeeded");

        Assert.Equal(
            "denied\n",
            await t.Attacker.GetStringAsync($"/api/workspaces/{t.A}/runs/{second}/agents/b/output")
        );
        Assert.Equal(0, OwnerOf(Path.Combine(t.RootA, "runs", first, "inbox", "a")));
    }

    private static async Task<string> WaitForEvent(HttpClient client, string ws, string id, string type)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var events = await client.GetStringAsync($"/api/workspaces/{ws}/runs/{id}/events");
            if (events.Contains($"\"{type}\"", StringComparison.Ordinal))
                return events;
            Assert.True(DateTime.UtcNow < deadline, $"no {type} event in {events}");
            await Task.Delay(100);
        }
    }

    private static long OwnerOf(string path) => Libc.OwnerOf(path);
}
