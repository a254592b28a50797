using System.Runtime.InteropServices;
using System.Text.Json;
using Baton.Events;

namespace Baton.Tests.Events;

/// <summary>How event files come into the folder, seen from outside: by name (inotify) and by readers reading meanwhile.</summary>
public partial class EventLogTests
{
    [Fact]
    public void Append_CreatesOnlyTheEventsOwnFile_AWatcherSeesNoOtherName()
    {
        using var ws = new TestWorkspace();
        var folder = Path.Combine(ws.Root, "events");
        var log = EventLog.Open(folder, GroupCommitter.Shared, out _);
        var watch = Inotify.init1(Inotify.NonBlocking | Inotify.CloseOnExec);
        Assert.True(watch >= 0, "inotify_init1");
        try
        {
            Assert.True(Inotify.add_watch(watch, folder, Inotify.Create | Inotify.MovedTo) >= 0, "inotify_add_watch");
            for (var i = 0; i < 5; i++)
                log.Append(new CustomEvent($"a.tick{i}", EventJson.EmptyObject), "a", 1);

            var names = Inotify.Names(watch);
            Assert.Equal(Enumerable.Range(1, 5).Select(i => $"{i:D6}-a.tick{i - 1}.json"), names.Select(n => n.Name));
            Assert.All(names, n => Assert.Equal(Inotify.Create, n.Mask)); // created under its name, not renamed there
        }
        finally
        {
            Inotify.close(watch);
        }
    }

    [Fact]
    public void NamesThatOnlyLookLikeEvents_ArePassedBy_NotThrownOn()
    {
        using var ws = new TestWorkspace();
        var folder = Path.Combine(ws.Root, "events");
        var log = EventLog.Open(folder, GroupCommitter.Shared, out _);
        for (var i = 0; i < 2; i++)
            log.Append(new CustomEvent($"a.tick{i}", EventJson.EmptyObject), "a", 1);
        // Other scripts' digits (which a regex's \d takes and long.Parse refuses) and a number no run reaches.
        File.WriteAllText(Path.Combine(folder, "\u0660\u0660\u0660\u0660\u0660\u0663-a.tick2.json"), "{}");
        File.WriteAllText(Path.Combine(folder, new string('9', 25) + "-a.tick2.json"), "{}");

        Assert.Equal(["a.tick0", "a.tick1"], EventReader.ReadAll(folder).Select(e => e.Type));
        Assert.Equal("a.tick1", EventReader.ReadLast(folder)?.Type);
    }

    [Fact]
    public async Task ReadersWhileEventsAreWritten_GetOnlyWholeEventsInOrder()
    {
        using var ws = new TestWorkspace();
        var folder = Path.Combine(ws.Root, "events");
        var log = EventLog.Open(folder, GroupCommitter.Shared, out _);
        // Some events span several pages, so a reader can meet one whose write is still being copied in.
        var big = JsonElement.Parse($"{{\"text\": \"{new string('x', 9000)}\"}}");
        var written = new List<RunEvent>();
        using var done = new CancellationTokenSource();
        var problems = new List<string>();
        var reads = 0;

        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var events = EventReader.ReadAll(folder);
                for (var i = 0; i < events.Count; i++)
                    if (events[i].Seq != i + 1 || events[i].Type != $"a.tick{i}")
                        problems.Add($"read {events[i].Seq} {events[i].Type} at {i}");
                if (EventReader.ReadLast(folder) is { } last && last.Type != $"a.tick{last.Seq - 1}")
                    problems.Add($"last {last.Seq} {last.Type}");
                Interlocked.Increment(ref reads);
            }
        });
        while (Volatile.Read(ref reads) == 0)
            await Task.Yield();
        var readsBefore = Volatile.Read(ref reads);
        // Until the reader has read a few times meanwhile (it re-reads every file each time, so it is slower).
        for (var i = 0; i < 200 || (Volatile.Read(ref reads) < readsBefore + 10 && i < 20_000); i++)
            written.Add(
                log.Append(new CustomEvent($"a.tick{i}", i % 3 == 0 ? big : EventJson.EmptyObject), "a", 1).Event
            );
        await done.CancelAsync();
        await reader;

        Assert.Empty(problems);
        Assert.True(reads >= readsBefore + 10, "the reader read while events were written");
        Assert.Equal(written.Select(e => e.Type), EventReader.ReadAll(folder).Select(e => e.Type));
    }

    [Fact]
    public async Task HeldCommits_EventsAreOnDiskAtOnce_AndDurableWhenTheScopeEnds()
    {
        using var ws = new TestWorkspace();
        var folder = Path.Combine(ws.Root, "events");
        var log = EventLog.Open(folder, GroupCommitter.Shared, out _);
        var durable = new List<Task>();
        using (log.HoldCommits())
        {
            durable.Add(log.Append(new AgentDone("agents/a/output"), "a", 1).Durable);
            using (log.HoldCommits()) // a nested scope hands nothing over: the outer one does
                durable.Add(log.Append(new AgentStarted(), "b", 1).Durable);
            // Written before anything acts on them: another reader (or an engine after a kill -9) finds both.
            Assert.Equal(["a.done", "b.started"], EventReader.ReadAll(folder).Select(e => e.Type));
        }
        await Task.WhenAll(durable).WaitAsync(TimeSpan.FromSeconds(30));

        using (log.HoldCommits())
        {
            for (var i = 0; i < 8; i++)
                durable.Add(log.Append(new CustomEvent($"a.tick{i}", EventJson.EmptyObject), "a", 1).Durable);
            // A long pass hands its files over in fours as it goes: they become durable while it still runs.
            await Task.WhenAll(durable[2..10]).WaitAsync(TimeSpan.FromSeconds(30));
        }
        durable.Add(log.Append(new AgentDone("agents/b/output"), "b", 1).Durable); // no scope: committed alone
        await durable[^1].WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(11, EventReader.ReadAll(folder).Count);
    }

    private static partial class Inotify
    {
        public const int NonBlocking = 0x800,
            CloseOnExec = 0x80000;
        public const uint Create = 0x100,
            MovedTo = 0x80;

        [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
        public static partial int init1(int flags);

        [LibraryImport("libc", EntryPoint = "inotify_add_watch", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int add_watch(int fd, string path, uint mask);

        [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
        private static partial nint read(int fd, byte[] buffer, nint count);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int close(int fd);

        /// <summary>The names (and masks) of the events queued so far: struct inotify_event { wd, mask, cookie, len, name[len] }.</summary>
        public static List<(string Name, uint Mask)> Names(int fd)
        {
            var names = new List<(string, uint)>();
            var buffer = new byte[64 * 1024];
            nint n;
            while ((n = read(fd, buffer, buffer.Length)) > 0)
                for (var offset = 0; offset < n; )
                {
                    var mask = BitConverter.ToUInt32(buffer, offset + 4);
                    var length = BitConverter.ToInt32(buffer, offset + 12);
                    var name = System.Text.Encoding.UTF8.GetString(buffer, offset + 16, length).TrimEnd('\0');
                    names.Add(
                        (
                            name,
                            mask & ~0x40000000u /* IN_ISDIR */
                        )
                    );
                    offset += 16 + length;
                }
            return names;
        }
    }
}
