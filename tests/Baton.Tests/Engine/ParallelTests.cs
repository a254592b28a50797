using Baton.Runs;

namespace Baton.Tests.Engine;

public class ParallelTests
{
    [Fact]
    public async Task FanOutAgents_RunAtTheSameTime_ThenFanIn()
    {
        using var ws = new TestWorkspace();
        // Each agent waits (bounded) for the other's marker: this only succeeds if both run at once.
        var (run, outcome) = await ws.RunAsync(
            """
            name: fan
            agents:
              a:
                needs: []
                run: |
                  touch a.started
                  for i in $(seq 100); do [ -e b.started ] && { echo "a saw b"; exit 0; }; sleep 0.1; done
                  echo "b never started while a was running" >&2; exit 1
              b:
                needs: []
                run: |
                  touch b.started
                  for i in $(seq 100); do [ -e a.started ] && { echo "b saw a"; exit 0; }; sleep 0.1; done
                  echo "a never started while b was running" >&2; exit 1
              join:
                needs: [a, b]
                run: cat "$BATON_OUT_A" "$BATON_OUT_B"
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("a saw b\nb saw a\n", File.ReadAllText(run.AgentOutput("join")));
        var joinStarted = EngineProbe.IndexOf(run, "join.started");
        Assert.True(EngineProbe.IndexOf(run, "a.done") < joinStarted);
        Assert.True(EngineProbe.IndexOf(run, "b.done") < joinStarted);
    }
}
