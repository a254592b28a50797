using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Baton.Server;
using Baton.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Server.Tests;

/// <summary>A real Kestrel server on a free loopback port over a fresh data folder, for one test.</summary>
public sealed partial class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly bool _ownsData;

    private TestServer(WebApplication app, string dataPath, string url, bool ownsData)
    {
        _app = app;
        _ownsData = ownsData;
        DataPath = dataPath;
        Url = url;
    }

    public string DataPath { get; }
    public string Url { get; }
    public DataRoot Data => _app.Services.GetRequiredService<DataRoot>();
    public TokenStore Tokens => _app.Services.GetRequiredService<TokenStore>();
    public SessionStore Sessions => _app.Services.GetRequiredService<SessionStore>();
    public Hosting.RunHost Host => _app.Services.GetRequiredService<Hosting.RunHost>();

    public static async Task<TestServer> StartAsync(string? dataPath = null, Hosting.ServerSettings? settings = null)
    {
        var ownsData = dataPath is null;
        dataPath ??= NewDataPath();
        // Port 0: Kestrel binds a free port itself and reports it. A port picked first and bound afterwards could be
        // taken in between by another test's outgoing connection (the fake servers' 'Address already in use').
        var app = BatonServer.Build(new ServerOptions(dataPath, "http://127.0.0.1:0") { Settings = settings ?? new() });
        await app.StartAsync();
        return new TestServer(app, dataPath, app.Urls.Single(), ownsData);
    }

    /// <summary>A data folder no server has used yet (not made; the server makes it).</summary>
    public static string NewDataPath() =>
        Path.Combine(Path.GetTempPath(), "baton-server-tests", Guid.NewGuid().ToString("N")[..12]);

    /// <summary>
    /// A data folder a server ran once and stopped: the workspace has the chain, and the token is its owner's.
    /// For tests of what the next start finds.
    /// </summary>
    public static async Task<(string DataPath, string Token)> StoppedWithChainAsync(
        string workspace,
        string chainName,
        string chainYaml
    )
    {
        var dataPath = NewDataPath();
        await using var first = await StartAsync(dataPath);
        var token = first.Token(workspace, Role.Owner);
        using var owner = first.Client(token);
        var put = await owner.PutAsync($"/api/workspaces/{workspace}/chains/{chainName}", Yaml(chainYaml));
        if (!put.IsSuccessStatusCode)
            throw new InvalidOperationException($"the chain was refused: {await put.Content.ReadAsStringAsync()}");
        return (dataPath, token);
    }

    /// <summary>What `baton serve` does at its first start on an empty data folder; the lines it prints.</summary>
    public IReadOnlyList<string> Bootstrap() => BatonServer.Bootstrap(_app, Url);

    /// <summary>A workspace (created if needed) and a token with the role in it.</summary>
    public string Token(string workspace, Role role)
    {
        if (!Data.WorkspaceExists(workspace))
            Data.CreateWorkspace(workspace);
        return Tokens.Create(workspace, role, $"{Roles.Name(role)}@{workspace}").Token;
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static StringContent Json(object value) =>
        new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public static StringContent Yaml(string yaml) => new(yaml, Encoding.UTF8, "application/yaml");

    public static async Task<JsonElement> ReadJson(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Polls a run until its status is one of the given (bounded).</summary>
    public static async Task<JsonElement> WaitForStatus(
        HttpClient client,
        string ws,
        string id,
        params string[] statuses
    )
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await ReadJson(await client.GetAsync($"/api/workspaces/{ws}/runs/{id}"));
            if (statuses.Contains(run.GetProperty("status").GetString()))
                return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {id} is still {run.GetProperty("status")}");
            await Task.Delay(50);
        }
    }

    /// <summary>The shown_hash of the decision card waiting at run/agent (GET …/decisions), as the web UI sends it.</summary>
    public static async Task<string> ShownHash(HttpClient client, string ws, string run, string agent)
    {
        foreach (
            var card in (await ReadJson(await client.GetAsync($"/api/workspaces/{ws}/decisions"))).EnumerateArray()
        )
            if (card.GetProperty("run").GetString() == run && card.GetProperty("agent").GetString() == agent)
                return card.GetProperty("shown_hash").GetString()!;
        throw new InvalidOperationException($"no decision card for {run}/{agent}");
    }

    /// <summary>POSTs a decision with the card's shown_hash, as the web UI does.</summary>
    public static async Task<HttpResponseMessage> Decide(
        HttpClient client,
        string ws,
        string run,
        string agent,
        string decision,
        string? comment = null
    ) =>
        await client.PostAsync(
            $"/api/workspaces/{ws}/runs/{run}/decisions/{agent}",
            Json(
                new
                {
                    decision,
                    comment,
                    shown_hash = await ShownHash(client, ws, run, agent),
                }
            )
        );

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        RemoveUniqueWorkspaceUsers();
        if (!_ownsData)
            return;
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException) { }
    }

    /// <summary>
    /// Deletes the Unix users of this server's workspaces whose names end in a random suffix (`adv-a-1f2e3d4c`):
    /// made for one test, they would otherwise pile up run after run until useradd finds no free system id
    /// (about 900 here). Users of fixed names (`default`, `bomb`) are shared by tests running at once and stay.
    /// </summary>
    private void RemoveUniqueWorkspaceUsers()
    {
        if (!Environment.IsPrivilegedProcess)
            return;
        var workspaces = Path.Combine(DataPath, "workspaces");
        if (!Directory.Exists(workspaces))
            return;
        foreach (var ws in Directory.EnumerateDirectories(workspaces).Select(Path.GetFileName))
        {
            if (!UniqueSuffix().IsMatch(ws!))
                continue;
            using var userdel = System.Diagnostics.Process.Start(
                new System.Diagnostics.ProcessStartInfo("userdel", [Baton.Isolation.WorkspaceUser.NameFor(ws!)])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                }
            )!;
            userdel.WaitForExit(); // a user still running something is left for the machine's owner: nothing to assert here
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("-[0-9a-f]{6,}$")]
    private static partial System.Text.RegularExpressions.Regex UniqueSuffix();
}
