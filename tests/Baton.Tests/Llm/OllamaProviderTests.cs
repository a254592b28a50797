using Baton.Runs;

namespace Baton.Tests.Llm;

public class OllamaProviderTests
{
    // Streaming (NDJSON) is Ollama's default and Baton's; `stream: false` gets one JSON object.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OllamaReply_ReachesOutput_WithItsReportedTokens(bool stream)
    {
        using var server = new FakeLlmServer().Then(FakeReply.Text("Local models answer too.", input: 21, output: 6));
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            $"""
            providers:
              default:
                type: ollama
                base_url: {server.OllamaUrl}
                model: llama3.2
                stream: {(stream ? "true" : "false")}
            """
        );

        var (run, outcome) = await ws.RunAsync(
            "name: local\nagents:\n  ask:\n    prompt: Say something about {{ inputs.topic }}\ninputs:\n  topic: { default: ollama }\n",
            options: LlmKit.Engine()
        );

        Assert.True(
            outcome.Status == RunStatus.Succeeded,
            string.Join("\n", server.Requests.Select(r => r.Body))
                + string.Join("\n", TestWorkspace.Events(run).Select(e => $"{e.Type} {e.Data}"))
        );
        Assert.Equal("Local models answer too.", LlmKit.Output(run, "ask"));
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/chat", request.Path);
        Assert.Equal("llama3.2", request.Json["model"]!.GetValue<string>());
        Assert.Contains("Say something about ollama", request.Body);
        var done = LlmKit.Data(run, "ask.done");
        Assert.Equal(21, done.GetProperty("input_tokens").GetInt64());
        Assert.Equal(6, done.GetProperty("output_tokens").GetInt64());
    }
}
