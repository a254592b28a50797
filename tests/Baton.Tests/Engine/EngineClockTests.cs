using Baton.Events;
using Baton.Runs;
using Baton.Tests.Events;
using Microsoft.Extensions.Time.Testing;

namespace Baton.Tests.Engine;

/// <summary>
/// Decision timeouts and retry backoff on the engine's clock (EngineOptions.Time): a FakeTimeProvider moves time, so
/// nothing here sleeps and nothing depends on how fast the machine is.
/// </summary>
public class EngineClockTests
{
    private const string TimedDecision = """
        name: timed
        agents:
          draft:
            run: echo draft
          review:
            decision:
              show: "{{ agents.draft.output }}"
              timeout: 2h
              default: reject
        """;

    [Fact]
    public async Task DecisionTimeout_BeforeItsDeadline_TakesNoDefault_AtItTakesTheDefault()
    {
        using var ws = new TestWorkspace();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var options = new EngineOptions { Time = clock };
        var (run, first) = await ws.RunAsync(TimedDecision, options: options);
        Assert.Equal(RunStatus.Waiting, first.Status);
        var waiting = (AgentWaiting)TestWorkspace.Events(run).Single(e => e.Type == "review.waiting").Body;
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromHours(2), waiting.Deadline);

        clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromTicks(1));
        var early = await new RunEngine(ws.Workspace, options).RunAsync(run);
        Assert.Equal(RunStatus.Waiting, early.Status);
        Assert.DoesNotContain(TestWorkspace.Events(run), e => e.Type == "review.decided");

        clock.Advance(TimeSpan.FromTicks(1));
        var outcome = await new RunEngine(ws.Workspace, options).RunAsync(run);
        Assert.Equal(RunStatus.Rejected, outcome.Status);
        var decided = TestWorkspace.Events(run).Single(e => e.Type == "review.decided");
        Assert.Equal(
            new AgentDecided(
                Decision.Reject,
                "timeout",
                "no answer before the decision's timeout",
                1,
                waiting.ShownHash
            ),
            decided.Body
        );
        Assert.Equal(clock.GetUtcNow(), decided.Time);
    }

    [Fact]
    public async Task RetryBackoff_StartsTheNextAttemptOnlyOnceItsDelayHasPassed()
    {
        using var ws = new TestWorkspace();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var options = new EngineOptions
        {
            Time = clock,
            RetryBaseDelay = TimeSpan.FromMinutes(10),
            RetryMaxDelay = TimeSpan.FromHours(1),
        };
        var run = await ws.CreateRunAsync(
            """
            name: flaky
            agents:
              flaky:
                retries: 1
                run: '[ "$BATON_ATTEMPT" = 2 ] || exit 1'
            """
        );
        var running = new RunEngine(ws.Workspace, options).RunAsync(run);
        await EngineProbe.WaitUntilAsync(
            () => TestWorkspace.Types(run).Contains("flaky.failed"),
            "the first attempt's failure"
        );
        var failed = (AgentFailed)EngineProbe.Single(run, "flaky.failed").Body;
        Assert.True(failed.Retry);
        Assert.InRange(failed.RetryInMs!.Value, 7.5 * 60_000, 12.5 * 60_000); // 10 min ± 25 %

        clock.Advance(TimeSpan.FromMilliseconds(failed.RetryInMs.Value - 1));
        Assert.False(running.IsCompleted);
        Assert.Single(TestWorkspace.Events(run), e => e.Type == "flaky.started");

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var second = TestWorkspace.Events(run).Where(e => e.Type == "flaky.started").Last();
        Assert.Equal(2, second.Attempt);
        Assert.True(
            second.Time >= EngineProbe.Single(run, "flaky.failed").Time.AddMilliseconds(failed.RetryInMs.Value)
        );
    }

    [Fact]
    public async Task RetrySettings_DelayMultiplierAndCap_EachRetryStartsExactlyWhenDue_NotBefore()
    {
        using var ws = new TestWorkspace();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var run = await ws.CreateRunAsync(
            """
            name: backoff
            agents:
              flaky:
                retry: { max: 3, delay: 10m, multiplier: 3, max_delay: 20m }
                run: '[ "$BATON_ATTEMPT" = 4 ] || exit 1'
            """
        );
        var running = new RunEngine(ws.Workspace, new EngineOptions { Time = clock }).RunAsync(run);

        // 10m, then 10m x 3 = 30m capped at 20m, then 20m: as written, no jitter.
        TimeSpan[] due = [TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(20)];
        for (var retry = 1; retry <= 3; retry++)
        {
            var failures = retry;
            await EngineProbe.WaitUntilAsync(
                () => TestWorkspace.Events(run).Count(e => e.Type == "flaky.failed") == failures,
                $"failure {failures}"
            );
            var failed = TestWorkspace.Events(run).Last(e => e.Type == "flaky.failed");
            Assert.Equal((long)due[retry - 1].TotalMilliseconds, ((AgentFailed)failed.Body).RetryInMs);

            clock.Advance(due[retry - 1] - TimeSpan.FromTicks(1));
            Assert.Equal(retry, TestWorkspace.Events(run).Count(e => e.Type == "flaky.started"));

            clock.Advance(TimeSpan.FromTicks(1));
            var starts = retry + 1;
            await EngineProbe.WaitUntilAsync(
                () => TestWorkspace.Events(run).Count(e => e.Type == "flaky.started") == starts,
                $"attempt {starts}"
            );
            var started = TestWorkspace.Events(run).Last(e => e.Type == "flaky.started");
            Assert.Equal(failed.Time + due[retry - 1], started.Time);
        }

        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, outcome.Status);
    }

    [Fact]
    public async Task QuorumTimeout_CountsFromTheFirstAnswer_SkipsExactlyWhenDue_NotBefore()
    {
        using var ws = new TestWorkspace();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var go = Path.Combine(ws.Root, "go");
        var run = await ws.CreateRunAsync(
            $$"""
            name: quorum
            agents:
              a: { needs: [], run: 'touch "$BATON_INBOX/approved.json"' }
              b:
                needs: []
                run: |
                  while [ ! -e "{{go}}" ]; do sleep 0.02; done
                  touch "$BATON_INBOX/approved.json"
              merge:
                needs: { quorum: 2, of: [a.approved, b.approved], timeout: 10m }
                run: echo merged
            """
        );
        var running = new RunEngine(ws.Workspace, new EngineOptions { Time = clock }).RunAsync(run);
        await EngineProbe.WaitUntilAsync(() => TestWorkspace.Types(run).Contains("a.approved"), "a's approval");
        var first = EngineProbe.Single(run, "a.approved").Time;

        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.DoesNotContain("merge.skipped", TestWorkspace.Types(run));

        clock.Advance(TimeSpan.FromTicks(1));
        await EngineProbe.WaitUntilAsync(() => TestWorkspace.Types(run).Contains("merge.skipped"), "merge skipped");
        var skipped = EngineProbe.Single(run, "merge.skipped");
        Assert.Equal(first + TimeSpan.FromMinutes(10), skipped.Time);
        Assert.Contains("not reached (1 occurred) within its timeout", skipped.GetString("reason"));

        File.WriteAllText(go, "");
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.DoesNotContain("merge.started", TestWorkspace.Types(run));
    }
}
