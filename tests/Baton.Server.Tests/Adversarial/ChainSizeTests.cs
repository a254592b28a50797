using System.Net;
using System.Text;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Adversarial;

/// <summary>Issue 11 item 4 on the server: an oversized chain is a 422 problem, and a stored chain is parsed once per change.</summary>
public class ChainSizeTests
{
    [Fact]
    public async Task PutOfAChainOverTheAgentCap_Is422ProblemJson_AndNothingIsStored()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = server.Client(server.Token("default", Role.Editor));
        var sb = new StringBuilder("name: big\nagents:\n");
        for (var i = 0; i <= Chains.ChainLimits.MaxAgents; i++)
            sb.Append($"  a{i}: {{ run: \"true\" }}\n");

        var put = await editor.PutAsync("/api/workspaces/default/chains/big", TestServer.Yaml(sb.ToString()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var problem = await TestServer.ReadJson(put);
        Assert.Contains(
            "a chain may have at most 5,000",
            problem.GetProperty("errors")[0].GetProperty("message").GetString()
        );
        Assert.False(File.Exists(Path.Combine(server.Data.WorkspacePath("default"), "chains", "big.yaml")));
    }

    [Fact]
    public async Task PutOfAChainOverTheByteCap_Is422_Not400()
    {
        await using var server = await TestServer.StartAsync();
        using var editor = server.Client(server.Token("default", Role.Editor));
        var put = await editor.PutAsync(
            "/api/workspaces/default/chains/big",
            TestServer.Yaml("name: big\n# " + new string('x', 2 << 20) + "\n")
        );
        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        Assert.Contains("a chain may be at most 1,048,576 bytes", await put.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListingChains_ParsesAStoredChainOncePerChange_NotPerRequest()
    {
        await using var server = await TestServer.StartAsync();
        using var viewer = server.Client(server.Token("default", Role.Viewer));
        var file = Path.Combine(server.Data.WorkspacePath("default"), "chains", "hand.yaml");
        File.WriteAllText(file, "name: hand\nagents:\n  a: { run: \"true\", needs: [nope] }\n");
        var first = await viewer.GetStringAsync("/api/workspaces/default/chains");
        Assert.Contains("needs unknown agent 'nope'", first, StringComparison.Ordinal);

        // Same size and modification time, different text: the list still shows what it parsed.
        var stamp = File.GetLastWriteTimeUtc(file);
        File.WriteAllText(file, "name: hand\nagents:\n  a: { run: \"true\", needs: [nopa] }\n");
        File.SetLastWriteTimeUtc(file, stamp);
        Assert.Equal(first, await viewer.GetStringAsync("/api/workspaces/default/chains"));

        // A real change (another size) is seen on the next request.
        File.WriteAllText(file, "name: hand\nagents:\n  a: { run: \"true\" }\n");
        var changed = await viewer.GetStringAsync("/api/workspaces/default/chains");
        Assert.Contains("\"valid\":true", changed, StringComparison.Ordinal);
    }
}
