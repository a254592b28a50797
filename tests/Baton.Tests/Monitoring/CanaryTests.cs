using Baton.Canary;
using Baton.Chains;
using Baton.Monitoring;
using Baton.Tests.Cli;
using Baton.Tests.Llm;

namespace Baton.Tests.Monitoring;

/// <summary>Issue 15, prompt drift: a canary runs the chain's test cases, compares them with the baseline, and says when the model changed.</summary>
public sealed class CanaryTests : IDisposable
{
    private const string Reply = "Paris is the capital of France, on the Seine.";
    private readonly FakeLlmServer _llm = new() { Fallback = FakeReply.Text(Reply) };
    private readonly TestWorkspace _ws = new();
    private readonly Dictionary<string, string> _env = new() { ["TEST_KEY"] = LlmKit.Key };

    public CanaryTests()
    {
        _ws.Write("baton.yaml", LlmKit.OpenAiConfig(_llm));
        WriteChain("Answer briefly: {{ inputs.question }}");
        _ws.Write(
            "tests/capital.yaml",
            """
            tests:
              - description: france
                vars: {question: capital of France}
                assert:
                  - {type: icontains, value: paris}
              - description: seine
                vars: {question: which river}
                assert:
                  - {type: icontains, value: seine}
            """
        );
    }

    private void WriteChain(string prompt) =>
        _ws.Write(
            "chains/capital.yaml",
            $"""
            name: capital
            canary: "0 6 * * *"
            inputs:
              question: {"{}"}
            agents:
              answer:
                prompt: "{prompt}"
            """
        );

    public void Dispose()
    {
        _llm.Dispose();
        _ws.Dispose();
    }

    private Task<BatonCli.Result> Baton(params string[] args) => BatonCli.RunAsync(_ws.Root, _env, args);

    [Fact]
    public async Task RepliesChangeWhileThePromptDoesNot_DriftAlertWithTheMovedCases_NoneWhenNothingChanged()
    {
        var first = await Baton("canary", "capital");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("this canary is the baseline", first.Stdout, StringComparison.Ordinal);

        var same = await Baton("canary", "capital");
        Assert.Equal(0, same.ExitCode);
        Assert.Contains("no drift", same.Stdout, StringComparison.Ordinal);
        Assert.Contains($"similarity: {Similarity.LexicalName}", same.Stdout, StringComparison.Ordinal);
        Assert.Empty(AlertLog.Read(_ws.Root));

        // The provider pushed an update: same prompt, different behaviour.
        _llm.Fallback = FakeReply.Text("I'm sorry, I can't help with geography questions today, as an AI model.");
        var drifted = await Baton("canary", "capital");
        Assert.Equal(1, drifted.ExitCode);
        var alert = Assert.Single(AlertLog.Read(_ws.Root));
        Assert.Equal("model_drift", alert.Type);
        Assert.Equal("capital", alert.Chain);
        Assert.Contains("the model's behaviour changed", alert.Message, StringComparison.Ordinal);
        Assert.Contains("2 of 2 test cases moved", alert.Message, StringComparison.Ordinal);
        Assert.Contains("case 'france'", alert.Message, StringComparison.Ordinal);
        Assert.Contains(
            "assertions 100% → 0%",
            alert.Message.Replace(" %", "%", StringComparison.Ordinal),
            StringComparison.Ordinal
        );
        Assert.Contains($"before: \"{Reply}\"", alert.Message, StringComparison.Ordinal);
        Assert.Contains("after: \"I'm sorry", alert.Message, StringComparison.Ordinal);

        // A new prompt version: its first canary is the new baseline, whatever it says; no alert.
        WriteChain("Answer in one word: {{ inputs.question }}");
        var newPrompt = await Baton("canary", "capital");
        Assert.Equal(0, newPrompt.ExitCode);
        Assert.Contains("this canary is the baseline", newPrompt.Stdout, StringComparison.Ordinal);
        Assert.Single(AlertLog.Read(_ws.Root));
        Assert.Equal(4, CanaryRecord.ReadAll(_ws.Root, "capital").Count);
    }

    [Fact]
    public async Task PinnedBaseline_IsComparedAgainst_AndAJudgeModelScoresSimilarity()
    {
        Assert.Equal(0, (await Baton("canary", "capital")).ExitCode);
        _llm.Fallback = FakeReply.Text("Paris. The Seine flows through it.");
        await Baton("canary", "capital"); // reworded: it may count as moved; the owner accepts it as the new normal
        var pinned = await Baton("canary", "capital", "--pin");
        Assert.Contains("is the baseline of 'capital'", pinned.Stdout, StringComparison.Ordinal);
        var records = CanaryRecord.ReadAll(_ws.Root, "capital");
        Assert.Equal(records[^1].Id, CanaryRecord.Pinned(_ws.Root, "capital"));

        // With a judge: each case's similarity is the judge's score against the pinned canary's output.
        _ws.Write(
            "chains/capital.yaml",
            File.ReadAllText(Path.Combine(_ws.Root, "chains", "capital.yaml"))
                .Replace(
                    "canary: \"0 6 * * *\"",
                    "canary: {schedule: \"0 6 * * *\", judge: default}",
                    StringComparison.Ordinal
                )
        );
        _llm.Then(
            FakeReply.Text("Paris. The Seine flows through it."),
            FakeReply.Text("Paris. The Seine flows through it."),
            FakeReply.Text("""{"reason": "same", "pass": true, "score": 0.95}"""),
            FakeReply.Text("""{"reason": "different", "pass": false, "score": 0.2}""")
        );
        var judged = await Baton("canary", "capital", "--json");
        Assert.Equal(1, judged.ExitCode);
        var json = System.Text.Json.JsonDocument.Parse(judged.Stdout).RootElement;
        Assert.Equal(records[^1].Id, json.GetProperty("baseline").GetString());
        Assert.Equal("judge model 'default'", json.GetProperty("measure").GetString());
        var cases = json.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal([0.95, 0.2], cases.Select(c => c.GetProperty("similarity").GetDouble()));
        Assert.Equal([false, true], cases.Select(c => c.GetProperty("moved").GetBoolean()));
    }

    [Fact]
    public void BadCanary_IsReportedAtItsLine()
    {
        var path = _ws.Write(
            "chains/bad.yaml",
            """
            name: bad
            canary: "every morning"
            agents:
              a: { run: "true" }
            """
        );
        var error = Assert.Throws<ChainValidationException>(() => ChainLoader.LoadFile(path, _ws.Root));
        Assert.Contains("bad.yaml:2:9: 'canary':", error.Message, StringComparison.Ordinal);
    }
}
