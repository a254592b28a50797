using Baton.Events;

namespace Baton.Tests.Events;

public class EventReaderTests
{
    [Fact]
    public async Task ReadLast_ReadsOnlyTheLastEvent_AndIsNullWhenThereIsNoneOrItIsTorn()
    {
        using var ws = new TestWorkspace();
        var folder = Path.Combine(ws.Root, "events");
        Assert.Null(EventReader.ReadLast(folder)); // no folder yet

        var log = EventLog.Open(folder, GroupCommitter.Shared, out _);
        Assert.Null(EventReader.ReadLast(folder)); // empty
        for (var i = 0; i < 11; i++)
            log.Append(new CustomEvent($"a.tick{i}", EventJson.EmptyObject), "a", 1); // 000010 sorts after 000009 by number, not by name length
        await log.Append(new RunFinished(Runs.RunStatus.Succeeded, null), null, 0).Durable;
        File.WriteAllText(Path.Combine(folder, "000003-a.tick2.json"), "{ damaged"); // only the last one is read

        var last = EventReader.ReadLast(folder);
        Assert.Equal((12L, EventTypes.RunFinished), (last!.Seq, last.Type));

        File.WriteAllText(Path.Combine(folder, "000012-run.finished.json"), ""); // torn by a power loss: not trusted
        Assert.Null(EventReader.ReadLast(folder));
    }
}
