using Baton.Runs;

namespace Baton.Tests.Engine;

public class SequenceTests
{
    [Fact]
    public async Task TwoBashAgents_RunInOrder_AndHandOffOutput()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: hello
            agents:
              first:
                run: echo "hello from first"
              second:
                run: |
                  echo "second read: $(cat "$BATON_OUT_FIRST")" > "$BATON_OUTPUT"
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            ["run.started", "first.started", "first.done", "second.started", "second.done", "run.finished"],
            TestWorkspace.Types(run)
        );
        Assert.Equal("second read: hello from first\n", File.ReadAllText(run.AgentOutput("second")));
        Assert.Equal(
            "echo \"hello from first\"",
            File.ReadAllText(Path.Combine(run.AgentDir("first"), "run.sh")).TrimEnd()
        );
    }
}
