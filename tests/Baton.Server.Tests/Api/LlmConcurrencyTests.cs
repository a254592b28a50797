using System.Net;
using Baton.Server.Auth;
using Baton.Tests.Llm;

namespace Baton.Server.Tests.Api;

public class LlmConcurrencyTests
{
    private const string Ask = """
        name: ask
        agents:
          ask:
            prompt: Say something.
        """;

    [Fact]
    public async Task ThousandConcurrentLlmRuns_DefaultSettings_AllInFlightAtOnce_AllSucceed()
    {
        const int runs = 1000;
        using var llm = new FakeLlmServer().Hold();
        await using var server = await TestServer.StartAsync();
        var ws = $"llm-{Guid.NewGuid().ToString("N")[..8]}";
        using var client = server.Client(server.Token(ws, Role.Owner));
        File.WriteAllText(
            Path.Combine(server.Data.WorkspacePath(ws), "baton.yaml"),
            $"providers:\n  default:\n    type: openai\n    base_url: {llm.OpenAiUrl}\n    model: gpt-4o-mini\n"
        );
        Assert.True(
            (await client.PutAsync($"/api/workspaces/{ws}/chains/ask", TestServer.Yaml(Ask))).IsSuccessStatusCode
        );

        for (var i = 0; i < runs; i++)
            Assert.Equal(
                HttpStatusCode.Created,
                (
                    await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain = "ask" }))
                ).StatusCode
            );
        // Every run's call reaches the provider before any is answered: none waits for another's slot.
        for (var deadline = DateTime.UtcNow.AddSeconds(120); llm.InFlight < runs; )
        {
            Assert.True(
                DateTime.UtcNow < deadline,
                $"only {llm.InFlight} of {runs} calls reached the provider at once"
            );
            await Task.Delay(50);
        }
        llm.ReleaseAll();

        for (var deadline = DateTime.UtcNow.AddSeconds(120); ; )
        {
            var succeeded = (
                await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/runs?status=succeeded"))
            ).GetArrayLength();
            if (succeeded == runs)
                break;
            var failed = (
                await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/runs?status=failed"))
            ).GetArrayLength();
            Assert.Equal(0, failed);
            Assert.True(DateTime.UtcNow < deadline, $"{succeeded} of {runs} runs succeeded");
            await Task.Delay(100);
        }
        Assert.Equal(runs, llm.Requests.Count);
    }
}
