using Baton.Chains;
using Baton.Runs;

namespace Baton.Tests.Engine;

public class PathTrickTests
{
    [Theory]
    [InlineData("../outside")]
    [InlineData("sub/../../outside")]
    public async Task WorkdirOutsideTheWorkspace_IsAValidationError(string workdir)
    {
        using var ws = new TestWorkspace();
        var error = await Assert.ThrowsAsync<ChainValidationException>(() =>
            ws.CreateRunAsync(
                $"""
                name: escape
                workdir: {workdir}
                agents:
                  a:
                    run: echo hi
                """
            )
        );

        Assert.Contains(error.Errors, e =>
            e.Message.Contains("workdir", StringComparison.Ordinal) && e.Location.Line == 2
        );
        Assert.False(Directory.Exists(ws.Workspace.RunsRoot));
    }

    [Theory]
    [InlineData("agents/victim")]
    [InlineData("inbox/victim")]
    [InlineData("work")]
    public async Task AgentSwapsRunFolderForSymlink_NextAgentFails_NothingWrittenOutside(string swapped)
    {
        using var ws = new TestWorkspace();
        var outside = Directory.CreateTempSubdirectory("baton-outside-");
        try
        {
            var (run, outcome) = await ws.RunAsync(
                $"""
                name: swap
                agents:
                  attacker:
                    run: |
                      cd /
                      rm -rf "$BATON_RUN_DIR/{swapped}"
                      ln -s "{outside.FullName}" "$BATON_RUN_DIR/{swapped}"
                  victim:
                    run: echo "victim output" > "$BATON_OUTPUT"
                """
            );

            Assert.Equal(RunStatus.Failed, outcome.Status);
            Assert.Equal("attacker.done", TestWorkspace.Types(run)[2]);
            Assert.Equal(AgentStatus.Failed, EngineProbe.StatusOf(run, "victim"));
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside.FullName));
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AnOutputFilePlantedAsSymlink_IsNotWrittenThrough_ByAnLlmAgent()
    {
        using var ws = new TestWorkspace();
        var target = Path.Combine(Directory.CreateTempSubdirectory("baton-outside-").FullName, "victim.txt");
        File.WriteAllText(target, "untouched\n");
        try
        {
            var (run, outcome) = await ws.RunAsync(
                $"""
                name: plant
                agents:
                  attacker:
                    run: ln -s "{target}" "$BATON_RUN_DIR/agents/ask/output"
                  ask:
                    prompt: say something
                """,
                options: Llm.LlmKit.Engine(Llm.LlmKit.Fast(environment: _ => null))
            );

            Assert.Equal(RunStatus.Failed, outcome.Status);
            Assert.Equal(AgentStatus.Failed, EngineProbe.StatusOf(run, "ask"));
            Assert.Equal("untouched\n", File.ReadAllText(target));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(target)!, recursive: true);
        }
    }
}
