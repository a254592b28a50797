using System.Text.Json;
using Baton.Chains;
using Baton.Runs;
using Baton.Tests.Cli;
using Baton.Tests.Llm;

namespace Baton.Tests.Monitoring;

/// <summary>Issue 15, quality checks: `checks:` on an agent, with baton test's assertions (one implementation) plus length.</summary>
public class QualityCheckTests
{
    [Fact]
    public async Task FailedWarnCheck_RunSucceedsButIsNotGreen_WithAWeightedQualityScore()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("bye bye bye") };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(llm));
        const string chain = """
            name: greet
            agents:
              greet:
                prompt: Say bye.
                checks:
                  - type: icontains
                    value: BYE
                    weight: 3
                  - type: length
                    max: 5
            """;

        var (run, outcome) = await ws.RunAsync(chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            ["greet.started", "greet.checked", "greet.checked", "greet.done"],
            TestWorkspace.Types(run).Where(t => t.StartsWith("greet.", StringComparison.Ordinal))
        );
        var checks = TestWorkspace
            .Events(run)
            .Where(e => e.Type == "greet.checked")
            .Select(e => e.Data!.Value)
            .ToList();
        Assert.Equal("icontains", checks[0].GetProperty("check").GetString());
        Assert.True(checks[0].GetProperty("passed").GetBoolean());
        Assert.Equal("length", checks[1].GetProperty("check").GetString());
        Assert.False(checks[1].GetProperty("passed").GetBoolean());
        Assert.Equal("output is 11 characters, more than 5", checks[1].GetProperty("message").GetString());
        Assert.Equal("warn", checks[1].GetProperty("on_fail").GetString());

        var summary = RunSummary.Load(run);
        Assert.Equal(0.75, summary.QualityScore);
        Assert.Equal(1, summary.FailedChecks);
        var show = await BatonCli.RunAsync(ws.Root, "show", run.Id);
        Assert.Contains("status   succeeded, but checks failed", show.Stdout, StringComparison.Ordinal);
        Assert.Contains(
            "quality  75%",
            show.Stdout.Replace(" %", "%", StringComparison.Ordinal),
            StringComparison.Ordinal
        );
        var json = JsonDocument.Parse((await BatonCli.RunAsync(ws.Root, "show", run.Id, "--json")).Stdout).RootElement;
        Assert.Equal(0.75, json.GetProperty("quality_score").GetDouble());
        Assert.Equal(1, json.GetProperty("failed_checks").GetInt32());
    }

    [Fact]
    public async Task FailingFailCheck_FailsTheAgentWithoutRetrying()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("not json") };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(llm));
        const string chain = """
            name: strict
            agents:
              answer:
                prompt: Answer in JSON.
                retries: 2
                checks:
                  - type: is-json
                    on_fail: fail
            """;

        var (run, outcome) = await ws.RunAsync(chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Single(llm.Requests); // fail is not retry: retries are for what another attempt can fix
        var failed = LlmKit.Data(run, "answer.failed");
        Assert.Equal("check", failed.GetProperty("reason").GetString());
        Assert.StartsWith(
            "check 'is-json' failed:",
            failed.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(0.0, RunSummary.Load(run).QualityScore);
    }

    [Fact]
    public async Task FailingRetryCheck_ReRunsTheAgentWithTheCheckMessageAsFeedback()
    {
        using var llm = new FakeLlmServer().Then(FakeReply.Text("the wrong answer"), FakeReply.Text("42"));
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(llm));
        const string chain = """
            name: retry
            agents:
              answer:
                prompt: "What is six times seven? {{ feedback }}"
                retries: 1
                checks:
                  - type: regex
                    value: "^[0-9]+$"
                    on_fail: retry
            """;

        var (run, outcome) = await ws.RunAsync(chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("42", LlmKit.Output(run, "answer"));
        var second = llm.Requests.ToList()[1].Body;
        Assert.Contains("check 'regex' failed", second, StringComparison.Ordinal);
        Assert.Equal(
            ["answer.started", "answer.checked", "answer.failed", "answer.started", "answer.checked", "answer.done"],
            TestWorkspace.Types(run).Where(t => t.StartsWith("answer.", StringComparison.Ordinal))
        );
        var summary = RunSummary.Load(run);
        Assert.Equal(1.0, summary.QualityScore); // the latest attempt's checks count
        Assert.Equal(0, summary.FailedChecks);
    }

    [Fact]
    public void BadChecks_AreReportedAtTheirLine()
    {
        using var ws = new TestWorkspace();
        var path = ws.Write(
            "chains/bad.yaml",
            """
            name: bad
            agents:
              a:
                run: echo hi
                checks:
                  - type: length
                  - type: contains
                    value: x
                    on_fail: explode
                  - type: not-a-type
            """
        );
        var error = Assert.Throws<ChainValidationException>(() => ChainLoader.LoadFile(path, ws.Root));
        Assert.Contains(
            "bad.yaml:6:9: a 'length' check needs 'min', 'max' or both",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "bad.yaml:9:18: 'on_fail' is warn, fail or retry, not 'explode'",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.Contains("bad.yaml:10:15: unknown assertion type 'not-a-type'", error.Message, StringComparison.Ordinal);
    }
}
