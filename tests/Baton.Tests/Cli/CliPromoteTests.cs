using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Baton.Server;
using Baton.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Cli;

/// <summary>`baton promote CHAIN [--rollback]` against a real server (Kestrel on loopback), the token from BATON_TOKEN.</summary>
public sealed class CliPromoteTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(
        Path.GetTempPath(),
        "baton-promote-tests",
        Guid.NewGuid().ToString("N")[..12]
    );
    private readonly string _ws = $"promote-{Guid.NewGuid():N}"[..16];
    private WebApplication _app = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }
        _app = BatonServer.Build(new ServerOptions(_data, _url));
        await _app.StartAsync();
        _app.Services.GetRequiredService<DataRoot>().CreateWorkspace(_ws);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private string Token(Role role) =>
        _app.Services.GetRequiredService<TokenStore>().Create(_ws, role, Roles.Name(role)).Token;

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(_url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private Task<BatonCli.Result> Promote(string? token, params string[] args) =>
        BatonCli.RunAsync(
            _data,
            token is null ? new Dictionary<string, string>() : new() { ["BATON_TOKEN"] = token },
            ["promote", .. args]
        );

    [Fact]
    public async Task Promote_OpensAPromotionWithTheDiff_AndRollbackRestoresProduction()
    {
        var root = _app.Services.GetRequiredService<DataRoot>().WorkspacePath(_ws);
        File.WriteAllText(Path.Combine(root, "baton.yaml"), "review: required\n"); // by the operator, on disk
        var editor = Token(Role.Editor);
        using var author = Client(editor);
        using var owner = Client(Token(Role.Owner));
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await author.PutAsync(
                    $"/api/workspaces/{_ws}/prompts/hi.md",
                    new StringContent("Say hi.\n", Encoding.UTF8, "text/plain")
                )
            ).StatusCode
        );
        var chain = "name: hi\nagents:\n  hi:\n    model: offline\n    prompt: ../prompts/hi.md\n";
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await author.PutAsync(
                    $"/api/workspaces/{_ws}/chains/hi",
                    new StringContent(chain, Encoding.UTF8, "application/yaml")
                )
            ).StatusCode
        );

        var listed = (
            await JsonDocument.ParseAsync(await author.GetStreamAsync($"/api/workspaces/{_ws}/chains"))
        ).RootElement;
        Assert.True(Assert.Single(listed.EnumerateArray()).GetProperty("staged_only").GetBoolean()); // found, though only staged

        var noToken = await Promote(null, "hi", "--server", _url);
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("BATON_TOKEN", noToken.Stderr, StringComparison.Ordinal);

        var opened = await Promote(editor, "hi", "--server", _url);
        Assert.True(opened.ExitCode == 0, opened.ToString());
        Assert.Contains("is open for review", opened.Stdout, StringComparison.Ordinal);
        Assert.Contains("tests: no case file tests/hi.yaml", opened.Stdout, StringComparison.Ordinal);
        Assert.Contains("+Say hi.", opened.Stdout, StringComparison.Ordinal);
        Assert.Contains("+++ staging/chains/hi.yaml", opened.Stdout, StringComparison.Ordinal);

        var promotion = (
            await JsonDocument.ParseAsync(await owner.GetStreamAsync($"/api/workspaces/{_ws}/chains/hi/promotions"))
        ).RootElement[0];
        var approve = await owner.PostAsync(
            $"/api/workspaces/{_ws}/chains/hi/promotions/{promotion.GetProperty("id").GetString()}/decisions",
            new StringContent(
                JsonSerializer.Serialize(
                    new { decision = "approve", shown_hash = promotion.GetProperty("shown_hash").GetString() }
                ),
                Encoding.UTF8,
                "application/json"
            )
        );
        Assert.True(approve.IsSuccessStatusCode, await approve.Content.ReadAsStringAsync());
        Assert.Equal(chain, await owner.GetStringAsync($"/api/workspaces/{_ws}/chains/hi"));

        var rolledBack = await Promote(editor, "hi", "--rollback", "--server", _url);
        Assert.True(rolledBack.ExitCode == 0, rolledBack.ToString());
        Assert.Contains("rolled back", rolledBack.Stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/api/workspaces/{_ws}/chains/hi")).StatusCode);

        var again = await Promote(editor, "hi", "--rollback", "--server", _url);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("409", again.Stderr, StringComparison.Ordinal);
    }
}
