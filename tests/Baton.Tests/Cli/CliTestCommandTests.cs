using System.Text.Json;
using System.Xml.Linq;
using Baton.Tests.Llm;

namespace Baton.Tests.Cli;

/// <summary>`baton test` through the real command line: real runs, the prompt agent and the llm-rubric judge both the fake OpenAI-wire server.</summary>
public sealed class CliTestCommandTests : IDisposable
{
    private readonly FakeLlmServer _server = new();
    private readonly TestWorkspace _ws = new();
    private readonly Dictionary<string, string> _env = new() { ["TEST_KEY"] = LlmKit.Key };

    public CliTestCommandTests()
    {
        _ws.Write("baton.yaml", LlmKit.OpenAiConfig(_server));
        _ws.Write(
            "chains/answer.yaml",
            """
            name: answer
            inputs:
              question: {}
            agents:
              draft:
                prompt: "Answer: {{ inputs.question }}"
              review:
                decision:
                  show: "{{ agents.draft.output }}"
              publish:
                run: cp "$BATON_OUT_DRAFT" "$BATON_OUTPUT"; echo " (published)" >> "$BATON_OUTPUT"
            """
        );
    }

    public void Dispose()
    {
        _server.Dispose();
        _ws.Dispose();
    }

    private Task<BatonCli.Result> Baton(params string[] args) => BatonCli.RunAsync(_ws.Root, _env, args);

    [Fact]
    public async Task PassingCases_ExitZero_WithJUnit_AndTheJudgeSeesTheFinalOutput()
    {
        _ws.Write(
            "tests/answer.yaml",
            """
            tests:
              - description: capital
                vars: {question: capital of France}
                decisions: {review: approve}
                assert:
                  - {type: contains, value: Paris}
                  - {type: icontains, value: PUBLISHED}
                  - {type: equals, value: "Paris", agent: draft}
                  - {type: not-contains, value: London}
                  - {type: starts-with, value: Paris}
                  - {type: regex, value: "^Paris \\(published\\)"}
                  - {type: contains-any, value: [Lyon, Paris]}
                  - {type: contains-all, value: [Paris, published]}
                  - {type: latency, threshold: 600000}
                  - {type: cost, threshold: 1}
                  - {type: llm-rubric, value: names the capital of France, threshold: 0.7}
              - description: json
                vars: {question: as json}
                decisions: {review: approve}
                assert:
                  - {type: is-json, agent: draft, value: {type: object, required: [city]}}
                  - {type: contains-json, value: {type: object, properties: {city: {const: Rome}}}}
            """
        );
        _server.Then(
            FakeReply.Text("Paris"),
            FakeReply.Text("""{"reason": "names Paris", "pass": true, "score": 0.9}"""),
            FakeReply.Text("""{"city": "Rome"}""")
        );
        var junit = Path.Combine(_ws.Root, "junit.xml");
        var test = await Baton("test", "answer", "--junit", junit);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("2 of 2 cases passed", test.Stdout, StringComparison.Ordinal);
        var judged = _server.Requests.ElementAt(1).Body;
        Assert.Contains("Paris (published)", judged, StringComparison.Ordinal);
        Assert.Contains("names the capital of France", judged, StringComparison.Ordinal);
        var ledgers = Directory.EnumerateFiles(
            Path.Combine(_ws.Root, "runs"),
            "costs.jsonl",
            SearchOption.AllDirectories
        );
        var judgeCall = Assert.Single(ledgers.SelectMany(File.ReadLines), l =>
            l.Contains("\"(judge)\"", StringComparison.Ordinal)
        );
        Assert.Contains("\"provider\":\"default\"", judgeCall, StringComparison.Ordinal);
        var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
        Assert.Equal("2", suite.Attribute("tests")!.Value);
        Assert.Equal("0", suite.Attribute("failures")!.Value);
    }

    [Fact]
    public async Task FailingAssertions_AndAnUnansweredDecision_FailTheCasesClearly()
    {
        _ws.Write(
            "tests/answer.yaml",
            """
            tests:
              - description: wrong
                vars: {question: capital of France}
                decisions: {review: approve}
                assert:
                  - {type: contains, value: Berlin}
                  - {type: not-icontains, value: paris}
                  - {type: llm-rubric, value: names the capital of Germany}
              - description: unanswered
                vars: {question: anything}
                assert:
                  - {type: contains, value: x}
            """
        );
        _server.Then(
            FakeReply.Text("Paris"),
            FakeReply.Text("""{"reason": "that is France", "pass": false, "score": 0.0}"""),
            FakeReply.Text("Rome")
        );
        var test = await Baton("test", "answer", "--json");
        Assert.True(test.ExitCode == 1, test.ToString());
        var result = JsonDocument.Parse(test.Stdout).RootElement;
        Assert.False(result.GetProperty("passed").GetBoolean());
        var cases = result.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(
            [false, false, false],
            cases[0].GetProperty("assertions").EnumerateArray().Select(a => a.GetProperty("pass").GetBoolean())
        );
        Assert.Contains(
            "that is France",
            cases[0].GetProperty("assertions")[2].GetProperty("reason").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal("cancelled", cases[1].GetProperty("status").GetString());
        Assert.Contains(
            "decision 'review' is waiting and the case does not answer it",
            cases[1].GetProperty("problem").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task EveryAssertionType_FailsThroughBatonTest_WhenItsCheckDoesNotHold()
    {
        _ws.Write(
            "tests/answer.yaml",
            """
            tests:
              - description: all wrong
                vars: {question: capital of France}
                decisions: {review: approve}
                assert:
                  - {type: equals, value: "Rome", agent: draft}
                  - {type: contains, value: Rome}
                  - {type: icontains, value: ROME}
                  - {type: contains-any, value: [Rome, Lyon]}
                  - {type: contains-all, value: [Paris, Rome]}
                  - {type: starts-with, value: Rome}
                  - {type: regex, value: "^Rome"}
                  - {type: is-json}
                  - {type: is-json, agent: draft, value: {type: object, required: [city]}}
                  - {type: contains-json}
                  - {type: cost, threshold: 0}
                  - {type: latency, threshold: 0}
                  - {type: llm-rubric, value: names the capital of Italy, threshold: 0.7}
                  - {type: not-contains, value: Paris}
            """
        );
        _server.Then(
            FakeReply.Text("Paris", input: 1000, output: 100),
            FakeReply.Text("""{"reason": "that is France", "pass": true, "score": 0.2}""")
        );
        var test = await Baton("test", "answer", "--json");
        Assert.True(test.ExitCode == 1, test.ToString());
        var assertions = JsonDocument.Parse(test.Stdout).RootElement.GetProperty("cases")[0].GetProperty("assertions");
        Assert.Equal(14, assertions.GetArrayLength());
        foreach (var a in assertions.EnumerateArray())
            Assert.False(a.GetProperty("pass").GetBoolean(), a.ToString());
    }

    [Fact]
    public async Task AgentOption_TestsOnePromptAgent_WithItsUpstreamOutputsFromTheCase()
    {
        _ws.Write(
            "chains/answer.yaml",
            """
            name: answer
            inputs:
              question: {}
            agents:
              draft:
                prompt: "Answer: {{ inputs.question }}"
              polish:
                prompt: "Polish: {{ agents.draft.output }}"
              publish:
                run: cp "$BATON_OUT_POLISH" "$BATON_OUTPUT"
            """
        );
        _ws.Write(
            "tests/answer.yaml",
            """
            tests:
              - description: given draft
                vars: {question: unused}
                outputs: {draft: "Paris, it's the capital {{ not a template }}"}
                assert:
                  - {type: icontains, value: polished}
              - description: no draft given
                vars: {question: unused}
                assert:
                  - {type: icontains, value: polished}
            """
        );
        _server.Then(FakeReply.Text("Polished: Paris."));
        var test = await Baton("test", "answer", "--agent", "polish", "--json");
        Assert.True(test.ExitCode == 1, test.ToString()); // the second case fails: it gives no draft
        var cases = JsonDocument.Parse(test.Stdout).RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.True(cases[0].GetProperty("passed").GetBoolean(), cases[0].ToString());
        var call = Assert.Single(_server.Requests); // only polish called the model: draft was the case's
        Assert.Contains("Polish: Paris, it's the capital {{ not a template }}", call.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Answer:", call.Body, StringComparison.Ordinal);
        Assert.Contains(
            "give it in the case as outputs: {draft: …}",
            cases[1].GetProperty("problem").GetString(),
            StringComparison.Ordinal
        );
        var run = cases[0].GetProperty("run").GetString()!;
        Assert.False(Directory.Exists(Path.Combine(_ws.Root, "runs", run, "agents", "publish")));

        var notPrompt = await Baton("test", "answer", "--agent", "publish");
        Assert.Equal(2, notPrompt.ExitCode);
        Assert.Contains(
            "'publish' is not a prompt agent of chain 'answer' (prompt agents: draft, polish)",
            notPrompt.Stderr,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task BadCaseFile_IsALocatedError_AndNothingRuns()
    {
        _ws.Write(
            "tests/answer.yaml",
            """
            tests:
              - description: typo
                vars: {question: q}
                assert:
                  - {type: contians, value: x}
            """
        );
        var test = await Baton("test", "answer");
        Assert.Equal(2, test.ExitCode);
        Assert.Contains(
            "answer.yaml:5:16: unknown assertion type 'contians'; did you mean 'contains'?",
            test.Stderr,
            StringComparison.Ordinal
        );
        Assert.Empty(_server.Requests);
        Assert.False(
            Directory.Exists(Path.Combine(_ws.Root, "runs"))
                && Directory
                    .EnumerateDirectories(Path.Combine(_ws.Root, "runs"))
                    .Any(d => !Path.GetFileName(d).StartsWith('.'))
        );
    }
}
