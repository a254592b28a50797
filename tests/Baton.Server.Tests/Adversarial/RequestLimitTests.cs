using System.Net;
using System.Text;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Adversarial;

/// <summary>Issue 11 item 7: a body over the server's request limit is a 413 problem, not a 500.</summary>
public class RequestLimitTests
{
    [Theory]
    [InlineData("PUT", "/api/workspaces/default/chains/huge", "application/yaml")]
    [InlineData("POST", "/api/workspaces/default/runs", "application/json")]
    public async Task BodyOver30MB_Is413ProblemJson(string method, string path, string type)
    {
        await using var server = await TestServer.StartAsync();
        // The client waits for the 100-continue (or the 413) before it sends the body. HttpClient's default wait is
        // 1 s, after which it sends the body anyway and the server's early 413 can reset the connection mid-body:
        // on a loaded machine that raced (an IOException instead of the answer). Wait as long as the request may take.
        using var owner = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) })
        {
            BaseAddress = new Uri(server.Url),
            Timeout = TimeSpan.FromSeconds(60),
        };
        owner.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            server.Token("default", Role.Owner)
        );
        var body =
            type == "application/json"
                ? "{\"chain\":\"x\",\"inputs\":{\"a\":\"" + new string('x', 31 << 20) + "\"}}"
                : "name: huge\n# " + new string('x', 31 << 20) + "\n";
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body, Encoding.UTF8, type),
        };
        request.Headers.ExpectContinue = true; // the answer comes before the body is sent, as a careful client would do it

        var response = await owner.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("30 MB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/healthz")).StatusCode);
    }
}
