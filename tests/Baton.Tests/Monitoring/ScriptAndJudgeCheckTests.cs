using Baton.Costs;
using Baton.Runs;
using Baton.Tests.Llm;

namespace Baton.Tests.Monitoring;

/// <summary>Issue 15, quality checks: `run:` checks (a script reads the output from a file) and llm-rubric with a judge model.</summary>
public class ScriptAndJudgeCheckTests
{
    [Fact]
    public async Task FailingRunCheck_RetriesWithWhatTheScriptPrintedAsFeedback_AndTheJudgeIsAskedEachAttempt()
    {
        using var llm = new FakeLlmServer().Then(
            FakeReply.Text("the wrong answer"),
            FakeReply.Text("""{"reason": "no number in it", "pass": false, "score": 0.1}"""),
            FakeReply.Text("42"),
            FakeReply.Text("""{"reason": "a number", "pass": true, "score": 0.9}""")
        );
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(llm));
        const string chain = """
            name: answer
            agents:
              answer:
                prompt: "What is six times seven? {{ feedback }}"
                retries: 1
                checks:
                  - run: |
                      grep -q 42 "$1" || { echo "the answer must contain 42, not: $(cat "$BATON_CHECK_INPUT")"; exit 1; }
                    on_fail: retry
                  - type: llm-rubric
                    value: The output is a number.
            """;

        var (run, outcome) = await ws.RunAsync(chain, options: LlmKit.Engine());

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("42", LlmKit.Output(run, "answer"));
        var requests = llm.Requests.ToList();
        Assert.Equal(4, requests.Count);
        Assert.Contains("<Rubric>\\nThe output is a number.", requests[1].Body, StringComparison.Ordinal);
        Assert.Contains(
            "check 'run' failed: the answer must contain 42, not: the wrong answer",
            requests[2].Body,
            StringComparison.Ordinal
        );
        var checks = TestWorkspace
            .Events(run)
            .Where(e => e.Type == "answer.checked")
            .Select(e => e.Data!.Value)
            .ToList();
        Assert.Equal(4, checks.Count);
        Assert.Equal(
            ["run", "llm-rubric", "run", "llm-rubric"],
            checks.Select(c => c.GetProperty("check").GetString())
        );
        Assert.Equal([false, false, true, true], checks.Select(c => c.GetProperty("passed").GetBoolean()));
        Assert.Equal("judge said fail: no number in it", checks[1].GetProperty("message").GetString());
        Assert.Equal(0.9, checks[3].GetProperty("score").GetDouble());
        Assert.Equal(
            ["answer.started", "answer.checked", "answer.checked", "answer.failed", "answer.started"],
            TestWorkspace.Types(run).Where(t => t.StartsWith("answer.", StringComparison.Ordinal)).Take(5)
        );
        // The script ran in the agent's folder for checks, with the output it judged.
        Assert.Equal("42", File.ReadAllText(Path.Combine(run.AgentDir("answer"), "checks", "1", "input")));
        // The judge's calls are in the run's costs, apart from the agent's.
        Assert.Equal(2, CostLedger.Read(run.Path).Count(e => e.Agent == "(judge)"));
    }

    [Fact]
    public async Task RunCheckOnAScriptAgent_PassesOnExitZero_AndBadRunChecksAreReported()
    {
        using var ws = new TestWorkspace();
        const string chain = """
            name: words
            agents:
              write:
                run: echo "three small words" > "$BATON_OUTPUT"
                checks:
                  - run: test "$(wc -w < "$BATON_CHECK_INPUT")" -le 5
                    weight: 2
                  - run: test "$(wc -w < "$BATON_CHECK_INPUT")" -le 2
            """;

        var (run, outcome) = await ws.RunAsync(chain);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var summary = RunSummary.Load(run);
        Assert.Equal(2.0 / 3, summary.QualityScore!.Value, 3);
        Assert.Equal(1, summary.FailedChecks);
        // Kept with the chain's runs over time for the dashboard, though the run made no LLM call.
        var kept = Assert.Single(Baton.Monitoring.RunCost.History(ws.Root, "words"));
        Assert.Equal(0.6667, kept.Quality);
        Assert.Empty(kept.Agents);

        var path = ws.Write(
            "chains/bad.yaml",
            """
            name: bad
            agents:
              a:
                run: echo hi
                checks:
                  - run: ""
                  - run: "true"
                    value: x
            """
        );
        var bad = Assert.Throws<Baton.Chains.ChainValidationException>(() =>
            Baton.Chains.ChainLoader.LoadFile(path, ws.Root)
        );
        Assert.Contains("a 'run' check needs the script", bad.Message, StringComparison.Ordinal);
        Assert.Contains("a 'run' check takes 'run', 'on_fail' and 'weight'", bad.Message, StringComparison.Ordinal);
    }
}
