using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Baton.Isolation;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// Two tenants of one real server running as root, each with a canary secret (and a canary file in
/// its home/), plus a root-only canary file outside every workspace. The attacker is tenant A with an
/// editor token; every answer A gets is recorded, so a test can say "no canary of B ever reached A".
/// Workspace and user names carry a random suffix: other engineers' tests run on this machine too.
/// </summary>
public sealed class Tenants : IAsyncDisposable
{
    private readonly List<string> _answers = [];
    private readonly string _outside;

    private Tenants(TestServer server, string a, string b, string outside)
    {
        Server = server;
        A = a;
        B = b;
        _outside = outside;
        var suffix = Guid.NewGuid().ToString("N")[..10];
        CanaryOfA = $"canary-secret-a-{suffix}";
        CanaryOfB = $"canary-secret-b-{suffix}";
        HomeCanaryOfB = $"canary-home-b-{suffix}";
        RootCanary = $"canary-root-{suffix}";
        AttackerOwner = Recorded(server.Token(a, Role.Owner));
        Attacker = Recorded(server.Token(a, Role.Editor));
        Victim = server.Client(server.Token(b, Role.Owner));
    }

    public TestServer Server { get; }
    public string A { get; }
    public string B { get; }
    public string RootA => Server.Data.WorkspacePath(A);
    public string RootB => Server.Data.WorkspacePath(B);

    /// <summary>A's editor, and A's owner (for the owner-only endpoints): every answer is recorded.</summary>
    public HttpClient Attacker { get; }
    public HttpClient AttackerOwner { get; }
    public HttpClient Victim { get; }

    public string CanaryOfA { get; }
    public string CanaryOfB { get; }
    public string HomeCanaryOfB { get; }
    public string RootCanary { get; }

    /// <summary>A root-only (0600) file outside every workspace, holding RootCanary.</summary>
    public string RootOnlyFile => Path.Combine(_outside, "root-only.txt");

    /// <summary>A folder outside every workspace that nothing may ever write into.</summary>
    public string OutsideFolder => Path.Combine(_outside, "folder");

    /// <summary>B's agents' credentials file (root can read it; A must never see it).</summary>
    public string HomeCredentialsOfB => Path.Combine(RootB, "home", ".git-credentials");

    public IReadOnlyList<string> Answers
    {
        get
        {
            lock (_answers)
                return [.. _answers];
        }
    }

    public static async Task<Tenants> StartAsync()
    {
        Assert.True(Environment.UserName == "root", "adversarial tests need root (CI runs as root)");
        var server = await TestServer.StartAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        var outside = Directory.CreateTempSubdirectory("baton-adv-outside-").FullName;
        var tenants = new Tenants(server, $"adv-a-{id}", $"adv-b-{id}", outside);
        await tenants.SetUpAsync();
        return tenants;
    }

    private async Task SetUpAsync()
    {
        Directory.CreateDirectory(OutsideFolder);
        File.WriteAllText(Path.Combine(OutsideFolder, "keep.txt"), RootCanary);
        File.WriteAllText(RootOnlyFile, RootCanary + "\n");
        File.SetUnixFileMode(RootOnlyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var (client, ws, canary) in new[] { (AttackerOwner, A, CanaryOfA), (Victim, B, CanaryOfB) })
        {
            Server.Data.EnsureWorkspaceUser(ws);
            var put = await client.PutAsync($"/api/workspaces/{ws}/secrets/CANARY", new StringContent(canary));
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }
        // B's run: it prints its secret (masked in what is kept) and waits for a decision.
        await PutChain(
            Victim,
            B,
            "victim",
            """
            name: victim
            agents:
              work:
                secrets: [CANARY]
                run: echo "b says $CANARY"
              review:
                decision:
                  show: "{{ agents.work.output }}"
            """
        );
        var home = Directory.CreateDirectory(Path.Combine(RootB, "home")).FullName;
        File.WriteAllText(HomeCredentialsOfB, $"https://b:{HomeCanaryOfB}@git.example\n");
    }

    public static async Task PutChain(HttpClient client, string ws, string name, string yaml)
    {
        var put = await client.PutAsync($"/api/workspaces/{ws}/chains/{name}", TestServer.Yaml(yaml));
        Assert.True(put.IsSuccessStatusCode, $"{put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
    }

    public static async Task<string> StartRun(HttpClient client, string ws, string chain)
    {
        var created = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain }));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await TestServer.ReadJson(created)).GetProperty("id").GetString()!;
    }

    /// <summary>B's run, paused at its decision (what A would like to read and approve).</summary>
    public async Task<string> VictimRunWaitingAsync()
    {
        var id = await StartRun(Victim, B, "victim");
        await TestServer.WaitForStatus(Victim, B, id, "waiting");
        return id;
    }

    /// <summary>Puts a symlink at <paramref name="path"/> (what was there moved aside first); returns an undo.</summary>
    public static IDisposable Plant(string path, string target)
    {
        var aside = path + ".aside-" + Guid.NewGuid().ToString("N")[..6];
        var existed = Path.Exists(path) || new FileInfo(path).LinkTarget is not null;
        if (existed)
            Directory.Move(path, aside); // moves files too, and keeps a link a link
        File.CreateSymbolicLink(path, target);
        return new Undo(() =>
        {
            File.Delete(path);
            if (existed)
                Directory.Move(aside, path);
        });
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <summary>Every file below folder (links not followed): relative path → SHA-256 of its bytes, or "link → target".</summary>
    public static Dictionary<string, string> Snapshot(string folder)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Walk(folder))
        {
            var relative = Path.GetRelativePath(folder, entry.FullName);
            if (entry.LinkTarget is { } target)
                files[relative] = $"link → {target}";
            else if (entry is FileInfo file && IsPlainFile(file))
                files[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName)));
        }
        return files;
    }

    /// <summary>Everything below folder, never descending through a link.</summary>
    private static IEnumerable<FileSystemInfo> Walk(string folder)
    {
        if (!Directory.Exists(folder))
            yield break;
        foreach (
            var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos(
                "*",
                new EnumerationOptions { AttributesToSkip = 0 }
            )
        )
        {
            yield return entry;
            if (entry is DirectoryInfo && entry.LinkTarget is null)
                foreach (var inner in Walk(entry.FullName))
                    yield return inner;
        }
    }

    /// <summary>A regular file (not a link, FIFO or device: reading one of those would block or mislead).</summary>
    private static bool IsPlainFile(FileInfo file)
    {
        const int O_NONBLOCK = 0x800;
        if (file.LinkTarget is not null)
            return false;
        var fd = Libc.Open(file.FullName, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            return false;
        try
        {
            return Libc.KindOf(fd) == Libc.EntryKind.File;
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>Fails naming every file that was added, removed or changed since the snapshot.</summary>
    public static void AssertUnchanged(Dictionary<string, string> before, string folder, string when)
    {
        var after = Snapshot(folder);
        var changed = before
            .Keys.Union(after.Keys)
            .Where(k => !before.TryGetValue(k, out var x) || !after.TryGetValue(k, out var y) || x != y)
            .Select(k =>
                $"{k}: {(before.TryGetValue(k, out var x) ? x[..Math.Min(12, x.Length)] : "(none)")} → {(after.TryGetValue(k, out var y) ? y[..Math.Min(12, y.Length)] : "(gone)")}"
            )
            .ToList();
        Assert.True(changed.Count == 0, $"{when}: {folder} changed:\n{string.Join("\n", changed)}");
    }

    /// <summary>Every file of a folder whose text holds the needle (links not followed).</summary>
    public static List<string> FilesHolding(string folder, string needle) =>
        [
            .. Walk(folder)
                .OfType<FileInfo>()
                .Where(f => IsPlainFile(f) && File.ReadAllText(f.FullName).Contains(needle, StringComparison.Ordinal))
                .Select(f => f.FullName),
        ];

    /// <summary>Nothing of B's (its secret, its home's credentials) nor the root-only file was ever answered to A.</summary>
    public void AssertNothingOfBReachedA()
    {
        foreach (var answer in Answers)
        {
            Assert.DoesNotContain(CanaryOfB, answer);
            Assert.DoesNotContain(HomeCanaryOfB, answer);
            Assert.DoesNotContain(RootCanary, answer);
        }
        Assert.Empty(FilesHolding(RootA, CanaryOfB));
        Assert.Empty(FilesHolding(RootA, HomeCanaryOfB));
        Assert.Empty(FilesHolding(RootA, RootCanary));
        Assert.Empty(FilesHolding(RootB, CanaryOfA));
    }

    private HttpClient Recorded(string token)
    {
        var client = new HttpClient(new Recorder(_answers) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = new Uri(Server.Url),
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed class Recorder(List<string> answers) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        )
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            lock (answers)
                answers.Add(
                    $"{request.Method} {request.RequestUri?.PathAndQuery} → {(int)response.StatusCode}\n{text}"
                );
            return response;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Attacker.Dispose();
        AttackerOwner.Dispose();
        Victim.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_outside, recursive: true);
        }
        catch (IOException) { }
    }

    /// <summary>The workspace user's uid (to make a file as the agent would have).</summary>
    public int UidOf(string ws) => WorkspaceUser.Lookup(WorkspaceUser.NameFor(ws))!.Uid;
}
