using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class CorruptInboxTests
{
    [Fact]
    public async Task UnparsableInboxFile_IsRejectedAndMovedAside_RunGoesOn()
    {
        using var ws = new TestWorkspace();
        // The file is dated a minute back so the engine need not wait out Inbox.SettleTime for a slow writer.
        var (run, outcome) = await ws.RunAsync(
            """
            name: corrupt
            agents:
              writer:
                run: |
                  printf 'not json{' > "$BATON_INBOX/.bad.tmp"
                  touch -d '1 minute ago' "$BATON_INBOX/.bad.tmp"
                  mv "$BATON_INBOX/.bad.tmp" "$BATON_INBOX/bad.json"
                  echo written
              next:
                run: echo "still going"
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var rejected = EngineProbe.Single(run, "inbox.rejected");
        Assert.Equal("inbox/writer/bad.json", rejected.GetString("file"));
        Assert.Contains("not valid JSON", rejected.GetString("reason"));
        Assert.DoesNotContain("writer.bad", TestWorkspace.Types(run));
        Assert.Equal("still going\n", File.ReadAllText(run.AgentOutput("next")));

        Assert.False(File.Exists(Path.Combine(run.AgentInbox("writer"), "bad.json")));
        var moved = Assert.Single(Directory.GetFiles(Path.Combine(run.Inbox, Inbox.RejectedFolder)));
        Assert.EndsWith("bad.json", moved, StringComparison.Ordinal);
        Assert.Equal("not json{", File.ReadAllText(moved));
    }
}
