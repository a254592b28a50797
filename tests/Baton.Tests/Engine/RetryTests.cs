using Baton.Events;
using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class RetryTests
{
    [Fact]
    public async Task FlakyAgent_FailsTwiceThenSucceeds_AndEarlierAttemptsAreArchived()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: flaky
            agents:
              flaky:
                retries: 2
                run: |
                  n=$(( $(cat count 2>/dev/null || echo 0) + 1 ))
                  echo "$n" > count
                  echo "attempt $n"
                  [ "$n" -ge 3 ] || { echo "failing attempt $n" >&2; exit 1; }
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var events = TestWorkspace.Events(run).Where(e => e.Agent == "flaky").ToList();
        Assert.Equal(
            ["flaky.started", "flaky.failed", "flaky.started", "flaky.failed", "flaky.started", "flaky.done"],
            events.Select(e => e.Type)
        );
        Assert.Equal([1, 1, 2, 2, 3, 3], events.Select(e => e.Attempt));
        Assert.All(events.Where(e => e.Type == "flaky.failed"), e =>
            Assert.True(e.GetBool("retry"), "a failure with retries left must say retry: true")
        );
        Assert.Equal("attempt 3\n", File.ReadAllText(run.AgentOutput("flaky")));
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var archive = Path.Combine(
                run.AgentDir("flaky"),
                "attempts",
                attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)
            );
            Assert.Equal($"attempt {attempt}\n", File.ReadAllText(Path.Combine(archive, "stdout.log")));
            Assert.Equal($"failing attempt {attempt}\n", File.ReadAllText(Path.Combine(archive, "stderr.log")));
        }
        Assert.False(Directory.Exists(Path.Combine(run.AgentDir("flaky"), "attempts", "3")));
    }

    [Fact]
    public async Task AgentFailingEveryAttempt_FailsTheRun_AndDownstreamIsSkipped()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: broken
            agents:
              broken:
                retries: 1
                run: |
                  echo "boom" >&2
                  exit 7
              downstream:
                run: echo "should not run"
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failures = TestWorkspace.Events(run).Where(e => e.Type == "broken.failed").ToList();
        Assert.Equal(2, failures.Count);
        Assert.True(failures[0].GetBool("retry"));
        Assert.False(failures[1].GetBool("retry"));
        Assert.Equal("exit", failures[1].GetString("reason"));
        Assert.Equal(7, failures[1].GetInt64("exit_code"));
        Assert.Contains("boom", failures[1].GetString("message"));
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "downstream"));
        Assert.DoesNotContain("downstream.started", TestWorkspace.Types(run));
        Assert.Equal(RunStatus.Failed, ((RunFinished)EngineProbe.Single(run, "run.finished").Body).Status);
    }
}
