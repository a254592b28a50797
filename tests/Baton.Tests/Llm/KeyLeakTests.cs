using System.Text;
using Baton.Runs;
using Baton.Secrets;

namespace Baton.Tests.Llm;

public class KeyLeakTests
{
    [Fact]
    public async Task ApiKeyFromASecret_AppearsInNoFileOfTheRun_EvenWhenTheProviderEchoesIt()
    {
        using var ws = new TestWorkspace();
        var masterKey = Path.Combine(ws.Root, "..", $"{Path.GetFileName(ws.Root)}.key");
        new SecretStore(ws.Root, masterKey).Set("OPENAI_KEY", LlmKit.Key);
        // A provider that quotes the key back in its error, as some do on a bad key.
        using var server = new FakeLlmServer().Then(
            FakeReply.Text($"the key was {LlmKit.Key}"),
            FakeReply.Error(500, $"upstream rejected key {LlmKit.Key}")
        );
        ws.Write(
            "baton.yaml",
            $"""
            providers:
              default:
                type: openai
                base_url: {server.OpenAiUrl}
                api_key: ${"{"}secret:OPENAI_KEY{"}"}
            """
        );

        var (run, outcome) = await ws.RunAsync(
            """
            name: leak
            agents:
              ask:
                prompt: Tell me the key.
              fail:
                prompt: again
                model: default/gpt-4o
            """,
            options: LlmKit.Engine(LlmKit.Fast(masterKey: masterKey) with { MaxRetries = 0 })
        );
        File.Delete(masterKey);

        Assert.Equal($"Bearer {LlmKit.Key}", server.Requests.First().Authorization); // the key was really used
        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Contains(
            "***",
            LlmKit.Data(run, "fail.failed").GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal("the key was ***", LlmKit.Output(run, "ask"));
        var forms = new[] { LlmKit.Key, Convert.ToBase64String(Encoding.UTF8.GetBytes(LlmKit.Key)) };
        var files = Directory.EnumerateFiles(run.Path, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("001.json", StringComparison.Ordinal));
        foreach (var file in files.Append(Path.Combine(ws.Root, ".baton", "secrets.json")))
        {
            var text = File.ReadAllText(file);
            foreach (var form in forms)
                Assert.False(text.Contains(form, StringComparison.Ordinal), $"{file} contains the key");
        }
    }
}
