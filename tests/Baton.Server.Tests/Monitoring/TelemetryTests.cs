using System.Net;
using System.Net.Http.Headers;
using Baton.Agents;
using Baton.Chains;
using Baton.Providers;
using Baton.Server.Auth;
using Baton.Tests.Llm;

namespace Baton.Server.Tests.Monitoring;

/// <summary>Issue 15: OpenTelemetry traces over OTLP and GenAI metrics at /metrics, from the calls Baton makes anyway.</summary>
public class TelemetryTests
{
    private const string Chain = """
        name: summarise
        agents:
          draft:
            prompt: Write a line.
          review:
            prompt: Review the draft.
        """;

    [Fact]
    public async Task RunWithOtlpConfigured_CollectorGetsATraceWithASpanPerAgentAndGenAiAttributes()
    {
        using var llm = new FakeLlmServer();
        using var otlp = new FakeOtlpReceiver();
        var model = $"model-{Guid.NewGuid():N}"[..20];
        string runId;
        await using (var server = await TestServer.StartAsync(settings: new() { OtlpEndpoint = otlp.Url }))
        {
            var (client, ws) = await WorkspaceWithChain(server, llm, model);
            runId = await StartRun(client, ws);
            await TestServer.WaitForStatus(client, ws, runId, "succeeded");
            // The run span ends after the run's last event: wait for its batch (every 5 s) rather than count on
            // the flush at shutdown, which a loaded machine can cut short.
            for (var deadline = DateTime.UtcNow.AddSeconds(60); !otlp.Text("/v1/traces").Contains("run summarise"); )
            {
                Assert.True(DateTime.UtcNow < deadline, "no run span reached the collector within 60 s");
                await Task.Delay(200);
            }
        }

        var traces = otlp.Text("/v1/traces");
        foreach (
            var expected in new[]
            {
                "run summarise",
                "agent draft",
                "agent review",
                $"chat {model}",
                "gen_ai.request.model",
                "gen_ai.usage.input_tokens",
                "gen_ai.usage.output_tokens",
                "baton.prompt.sha256",
                "baton.cost_usd",
                "baton.run.id",
                runId,
            }
        )
            Assert.True(
                traces.Contains(expected, StringComparison.Ordinal),
                $"no '{expected}' in what the collector got"
            );
        Assert.DoesNotContain("Write a line.", traces, StringComparison.Ordinal); // prompts stay out of traces
        Assert.Contains("gen_ai.client.operation.duration", otlp.Text("/v1/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderAnswers5xxThenSlowly_MetricsShowTheErrorClassAndGenAiHistograms()
    {
        using var llm = new FakeLlmServer().Then(
            FakeReply.Error(503, "overloaded"),
            FakeReply.Text("ok"),
            FakeReply.Text("ok")
        );
        var model = $"model-{Guid.NewGuid():N}"[..20];
        var runners = new Dictionary<AgentKind, IAgentRunner>
        {
            [AgentKind.Prompt] = new PromptAgent(new ProviderOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(5) }),
        };
        await using var server = await TestServer.StartAsync(settings: new() { Runners = runners });
        var (client, ws) = await WorkspaceWithChain(server, llm, model);
        await TestServer.WaitForStatus(client, ws, await StartRun(client, ws), "succeeded");

        using var operatorClient = server.Client();
        operatorClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            File.ReadAllText(Path.Combine(server.DataPath, "server", "metrics.token")).Trim()
        );
        var response = await operatorClient.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n').Where(l => l.Contains(model)).ToList();
        Assert.Contains(lines, l =>
            l.StartsWith("baton_provider_attempts_total{", StringComparison.Ordinal)
            && l.Contains("outcome=\"server_error\"", StringComparison.Ordinal)
            && l.EndsWith(" 1", StringComparison.Ordinal)
        );
        Assert.Contains(lines, l =>
            l.StartsWith("baton_provider_attempts_total{", StringComparison.Ordinal)
            && l.Contains("outcome=\"ok\"", StringComparison.Ordinal)
            && l.EndsWith(" 2", StringComparison.Ordinal)
        );
        Assert.Contains(lines, l =>
            l.StartsWith("gen_ai_client_operation_duration_seconds_count{", StringComparison.Ordinal)
        );
        Assert.Contains(lines, l =>
            l.StartsWith("gen_ai_client_token_usage_count{", StringComparison.Ordinal)
            && l.Contains("gen_ai_token_type=\"output\"", StringComparison.Ordinal)
        );
    }

    internal static async Task<(HttpClient Client, string Workspace)> WorkspaceWithChain(
        TestServer server,
        FakeLlmServer llm,
        string model,
        string chain = Chain
    )
    {
        var ws = $"mon-{Guid.NewGuid().ToString("N")[..8]}";
        var client = server.Client(server.Token(ws, Role.Owner));
        File.WriteAllText(
            Path.Combine(server.Data.WorkspacePath(ws), "baton.yaml"),
            $"providers:\n  default:\n    type: openai\n    base_url: {llm.OpenAiUrl}\n    model: {model}\nprices:\n  {model}:\n    input: 1\n    output: 2\n"
        );
        var name = chain.Split('\n')[0]["name: ".Length..].Trim();
        Assert.True(
            (await client.PutAsync($"/api/workspaces/{ws}/chains/{name}", TestServer.Yaml(chain))).IsSuccessStatusCode
        );
        return (client, ws);
    }

    internal static async Task<string> StartRun(HttpClient client, string ws, string chain = "summarise")
    {
        var created = await client.PostAsync($"/api/workspaces/{ws}/runs", TestServer.Json(new { chain }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await TestServer.ReadJson(created)).GetProperty("id").GetString()!;
    }
}
