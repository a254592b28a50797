using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

/// <summary>`when:` and `stop:` (docs/chains.md, Conditions): routing on an event's data, a default, and a branch that ends the run.</summary>
public class ConditionTests
{
    private const string Router = """
        name: route
        inputs:
          status:
        agents:
          review:
            run: |
              printf '{"status": "%s", "score": 7}' "$BATON_INPUT_STATUS" > "$BATON_INBOX/.v" && mv "$BATON_INBOX/.v" "$BATON_INBOX/verdict.json"
          publish:
            on: [review.verdict]
            when: { field: data.status, equals: approved }
            run: echo published
          revise:
            on: [review.verdict]
            when: { field: data.status, matches: "^(changes|rework)$" }
            run: echo revised
          escalate:
            on: [review.verdict]
            when: otherwise
            run: echo escalated
        """;

    [Theory]
    [InlineData("approved", "publish")]
    [InlineData("rework", "revise")]
    [InlineData("unsure", "escalate")]
    public async Task RoutesOnEventData_WithADefault(string status, string expected)
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(Router, new Dictionary<string, string> { ["status"] = status });

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        foreach (var agent in new[] { "publish", "revise", "escalate" })
            Assert.Equal(agent == expected ? AgentStatus.Done : AgentStatus.Skipped, EngineProbe.StatusOf(run, agent));
        var skipped = EngineProbe.Single(run, expected == "publish" ? "revise.skipped" : "publish.skipped");
        Assert.Contains("did not hold on 'review.verdict'", skipped.GetString("reason"));
    }

    [Fact]
    public async Task StopBranch_EndsTheRun_CancellingWhatRuns_SkippingWhatWaits()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: stop
            agents:
              slow:
                needs: []
                run: sleep 30
              check:
                needs: []
                run: |
                  echo '{"ok": false}' > "$BATON_INBOX/.r" && mv "$BATON_INBOX/.r" "$BATON_INBOX/result.json"
              give-up:
                on: [check.result]
                when: { field: data.ok, equals: "false" }
                stop: the check failed, nothing to publish
              publish:
                needs: [check]
                on: [check.result]
                when: { field: data.ok, equals: "true" }
                run: echo published
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("stopped by 'give-up': the check failed, nothing to publish", outcome.Reason);
        Assert.Equal(AgentStatus.Cancelled, EngineProbe.StatusOf(run, "slow"));
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "publish"));
        Assert.Equal("give-up", EngineProbe.Single(run, "run.stop").GetString("by"));
    }

    [Fact]
    public async Task ConditionInALoop_WriterRunsAgainOnlyWhenTheVerdictSaysSo()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: loop-when
            max_rounds: 5
            agents:
              writer:
                on: [run.started, reviewer.verdict]
                when: { event: reviewer.verdict, field: data.status, equals: changes }
                run: echo "draft $BATON_ROUND"
              reviewer:
                on: [writer.done]
                run: |
                  s=changes; [ "$BATON_ROUND" -ge 2 ] && s=approved
                  printf '{"status": "%s"}' "$s" > "$BATON_INBOX/.v" && mv "$BATON_INBOX/.v" "$BATON_INBOX/verdict.json"
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(2, TestWorkspace.Types(run).Count(t => t == "writer.done"));
        Assert.Equal("draft 2\n", File.ReadAllText(run.AgentOutput("writer")));
    }
}
