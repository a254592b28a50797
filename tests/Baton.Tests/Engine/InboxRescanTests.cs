using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class InboxRescanTests
{
    [Fact]
    public async Task WithoutWatcher_PeriodicRescanStillIngestsCustomEvents()
    {
        using var ws = new TestWorkspace();
        // The watcher is off, as after an inotify overflow: only the rescan can see the file while
        // `first` is still running (and it waits for `second` to have started).
        var options = new EngineOptions
        {
            RetryBaseDelay = TestWorkspace.FastOptions().RetryBaseDelay,
            KillGrace = TestWorkspace.FastOptions().KillGrace,
            WatchInbox = false,
            InboxRescanInterval = TimeSpan.FromMilliseconds(200),
        };
        var (run, outcome) = await ws.RunAsync(
            """
            name: rescan
            agents:
              first:
                run: |
                  echo '{"from": "rescan"}' > "$BATON_INBOX/.ready.tmp"
                  mv "$BATON_INBOX/.ready.tmp" "$BATON_INBOX/ready.json"
                  for i in $(seq 100); do [ -e second.ran ] && exit 0; sleep 0.1; done
                  echo "the event was not ingested while first was running" >&2; exit 1
              second:
                on: [first.ready]
                run: touch second.ran
            """,
            options: options
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("rescan", EngineProbe.Single(run, "first.ready").GetString("from"));
        Assert.True(EngineProbe.IndexOf(run, "second.started") < EngineProbe.IndexOf(run, "first.done"));
    }

    [Fact]
    public async Task RunWhoseInboxGotNoFile_FinishesWithoutATakenFolder_OneThatDidHasIt()
    {
        using var ws = new TestWorkspace();
        var (quiet, quietOutcome) = await ws.RunAsync("name: quiet\nagents:\n  a: { run: \"true\" }\n");
        var (busy, busyOutcome) = await ws.RunAsync(
            """
            name: busy
            agents:
              a:
                run: |
                  echo '{}' > "$BATON_INBOX/.note.tmp"
                  mv "$BATON_INBOX/.note.tmp" "$BATON_INBOX/note.json"
            """
        );

        Assert.Equal(RunStatus.Succeeded, quietOutcome.Status);
        Assert.Equal(RunStatus.Succeeded, busyOutcome.Status);
        // Made when the first file moves there; the last scan of a run no longer makes (and lists) an empty one.
        Assert.False(Directory.Exists(Path.Combine(quiet.Inbox, Inbox.TakenFolder)));
        Assert.True(Directory.Exists(Path.Combine(busy.Inbox, Inbox.TakenFolder)));
    }
}
