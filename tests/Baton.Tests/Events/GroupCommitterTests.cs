using Baton.Events;

namespace Baton.Tests.Events;

/// <summary>Both ways the committer makes files durable — an fsync each, or one syncfs per filesystem for a big round — on real files.</summary>
public class GroupCommitterTests
{
    [Theory]
    [InlineData(int.MaxValue)] // an fsync per file and folder
    [InlineData(1)] // every round syncs whole filesystems
    public async Task EveryCommitCompletes_AndTheEventsAreThere(int wholeFileSystemRound)
    {
        using var ws = new TestWorkspace();
        using var committer = new GroupCommitter(wholeFileSystemRound);
        var logs = Enumerable
            .Range(0, 20)
            .Select(i => EventLog.Open(Path.Combine(ws.Root, $"run{i}", "events"), committer, out _))
            .ToList();

        var durable = new List<Task>();
        for (var round = 0; round < 10; round++)
            foreach (var log in logs)
                durable.Add(log.Append(new AgentDone("agents/step/output"), "step", 1).Durable);
        await Task.WhenAll(durable).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(logs, log => Assert.Equal(10, EventReader.ReadAll(log.Directory).Count));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    public async Task AFolderThatVanished_FailsItsOwnCommitOnly(int wholeFileSystemRound)
    {
        using var ws = new TestWorkspace();
        using var committer = new GroupCommitter(wholeFileSystemRound);
        var kept = EventLog.Open(Path.Combine(ws.Root, "kept", "events"), committer, out _);
        var gone = Path.Combine(ws.Root, "gone");
        Directory.CreateDirectory(gone);
        Directory.Delete(gone);

        var good = Enumerable
            .Range(0, 5)
            .Select(_ => kept.Append(new AgentDone("agents/step/output"), "step", 1).Durable)
            .ToList();
        var bad = committer.Commit(null, gone, gone);

        await Task.WhenAll(good).WaitAsync(TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<IOException>(() => bad.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("gone", error.Message, StringComparison.Ordinal);
    }
}
