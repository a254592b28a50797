using System.Text.Json;
using Baton.Runs;

namespace Baton.Tests.Llm;

public class JsonOutputTests
{
    private const string Chain = """
        name: structured
        agents:
          extract:
            prompt: List the facts.
            output: json
            schema:
              type: object
              required: [title, score]
              properties:
                title: { type: string }
                score: { type: integer, minimum: 1 }
        """;

    [Fact]
    public async Task InvalidReply_IsSentBackWithTheError_AndTheSecondReplyWins()
    {
        using var server = new FakeLlmServer().Then(
            FakeReply.Text("""{"title": "x"}"""),
            FakeReply.Text("```json\n{\"title\": \"x\", \"score\": 3}\n```")
        );
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(3, JsonDocument.Parse(LlmKit.Output(run, "extract")).RootElement.GetProperty("score").GetInt32());
        var second = server.Requests.ToArray()[1].Json["messages"]!.AsArray();
        Assert.Equal("assistant", second[^2]!["role"]!.GetValue<string>());
        Assert.Contains("score", second[^1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(
            "does not match the schema",
            second[^1]!["content"]!.GetValue<string>(),
            StringComparison.Ordinal
        );
        Assert.True(File.Exists(Path.Combine(run.AgentDir("extract"), "call-002.json")));
        Assert.Equal(2, LlmKit.Data(run, "extract.done").GetProperty("input_tokens").GetInt64() / 10); // both calls are counted
    }

    [Fact]
    public async Task TwoInvalidReplies_FailWithReasonSchema()
    {
        using var server = new FakeLlmServer { Fallback = FakeReply.Text("Sure! Here are the facts.") };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(server));

        var (run, outcome) = await ws.RunAsync(Chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(2, server.Requests.Count);
        var failed = LlmKit.Data(run, "extract.failed");
        Assert.Equal("schema", failed.GetProperty("reason").GetString());
        Assert.Contains("not valid JSON", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
