using Baton.Runs;
using Baton.Tests.Engine;

namespace Baton.Tests.Isolation;

/// <summary>
/// An agent running as its workspace's user owns its inbox folder; the engine reads it as root, so
/// what it finds there must not make it follow a symlink or hang on a FIFO.
/// </summary>
public class AgentFileTests
{
    [Fact]
    public async Task FifoInTheInbox_IsRejected_AndTheRunEnds()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: fifo
            agents:
              planter:
                run: |
                  mkfifo "$BATON_INBOX/stuck.json"
                  echo planted
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.DoesNotContain(TestWorkspace.Types(run), t => t == "planter.stuck");
    }

    [Fact]
    public void SymlinkedAgentFile_IsNeverFollowed()
    {
        using var ws = new TestWorkspace();
        var target = ws.Write("root-only.json", "{\"token\":\"secret\"}");
        var link = Path.Combine(ws.Root, "inbox.json");
        File.CreateSymbolicLink(link, target);

        Assert.Throws<IOException>(() => SafePaths.ReadAgentFile(link, 1024));
        Assert.Equal(18, SafePaths.ReadAgentFile(target, 1024).Length);
        Assert.Equal(11, SafePaths.ReadAgentFile(target, 10).Length);
    }
}
