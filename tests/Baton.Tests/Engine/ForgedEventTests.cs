using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class ForgedEventTests
{
    [Fact]
    public async Task ScriptWritingEngineEvents_IsRefused_AndCannotMarkItselfDone()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: forge
            agents:
              forger:
                run: |
                  echo '{}' > "$BATON_INBOX/done.json"
                  echo '{}' > "$BATON_INBOX/started.json"
                  echo '{"status": "succeeded"}' > "$BATON_INBOX/../run.finished.json"
                  echo '{}' > "$BATON_INBOX/../victim.done.json"
                  exit 3
              victim:
                on: [forger.done]
                run: echo "should not run"
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var types = TestWorkspace.Types(run);
        Assert.Single(types, t => t == "forger.started");
        Assert.DoesNotContain("forger.done", types);
        Assert.DoesNotContain("victim.done", types);
        Assert.Single(types, t => t == "run.finished");
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "victim"));

        var rejected = TestWorkspace
            .Events(run)
            .Where(e => e.Type == "inbox.rejected")
            .Select(e => e.GetString("file"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            [
                "inbox/forger/done.json",
                "inbox/forger/started.json",
                "inbox/run.finished.json",
                "inbox/victim.done.json",
            ],
            rejected
        );
        Assert.Equal(4, Directory.GetFiles(Path.Combine(run.Inbox, Inbox.RejectedFolder)).Length);
    }
}
