using Baton.Agents;
using Baton.Chains;
using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class UnsupportedAgentTests
{
    [Fact]
    public async Task AgentKindWithoutRunner_FailsWithUnsupported_InsteadOfHanging()
    {
        using var ws = new TestWorkspace();
        var options = new EngineOptions
        {
            RetryBaseDelay = TestWorkspace.FastOptions().RetryBaseDelay,
            KillGrace = TestWorkspace.FastOptions().KillGrace,
            Runners = new Dictionary<AgentKind, IAgentRunner> { [AgentKind.Run] = new BashAgent() },
        };
        var (run, outcome) = await ws.RunAsync(
            """
            name: unsupported
            agents:
              ask:
                cli: claude
                task: hi
              after:
                run: echo "should not run"
            """,
            options: options
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = EngineProbe.Single(run, "ask.failed");
        Assert.Equal("unsupported", failed.GetString("reason"));
        Assert.Contains("cli agents", failed.GetString("message"));
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "after"));
    }
}
