using Baton.Monitoring;

namespace Baton.Tests.Monitoring;

/// <summary>The cost history is read incrementally (only appended lines), so these pin what a reader sees.</summary>
public class CostHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static RunCost Cost(int i) =>
        new(Start.AddMinutes(i), $"run-{i}", "succeeded", [new("a", i, i, i, 0, "m")]);

    [Fact]
    public void AppendedRuns_TornLine_AndARewrittenFile_AreAllSeen()
    {
        var root = Directory.CreateTempSubdirectory("baton-costhistory-").FullName;
        try
        {
            Assert.Empty(RunCost.History(root, "c"));
            RunCost.Append(root, "c", Cost(1));
            RunCost.Append(root, "c", Cost(2));
            Assert.Equal(["run-1", "run-2"], RunCost.History(root, "c").Select(r => r.Run));

            var path = RunCost.PathFor(root, "c");
            File.AppendAllText(path, "{\"time\":\"2026-12-01T09:03:00.000Z\",\"run\":\"run-3\""); // still being written
            Assert.Equal(2, RunCost.History(root, "c").Count);
            File.AppendAllText(path, ",\"status\":\"succeeded\",\"agents\":[]}\n");
            Assert.Equal(["run-1", "run-2", "run-3"], RunCost.History(root, "c").Select(r => r.Run));

            File.WriteAllText(path, ""); // rotated by hand: read again from the start
            RunCost.Append(root, "c", Cost(9));
            Assert.Equal(["run-9"], RunCost.History(root, "c").Select(r => r.Run));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void LongHistory_KeepsTheLastRuns()
    {
        var root = Directory.CreateTempSubdirectory("baton-costhistory-").FullName;
        try
        {
            for (var i = 0; i < RunCost.KeptRuns + 50; i++)
                RunCost.Append(root, "c", Cost(i * 24 * 60)); // a day apart: only the last KeptRuns stay
            var runs = RunCost.History(root, "c");
            Assert.Equal(RunCost.KeptRuns, runs.Count);
            Assert.Equal($"run-{(RunCost.KeptRuns + 49) * 24 * 60}", runs[^1].Run);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Record_ReturnsTheRunsBefore_SeesAnotherWritersLines_AndKeepsItsOwnAsARereadWouldSee()
    {
        var root = Directory.CreateTempSubdirectory("baton-costhistory-").FullName;
        try
        {
            // Sub-millisecond times and an unrounded quality: kept as the file says, not as they were in memory.
            RunCost Precise(int i) => Cost(i) with { Time = Cost(i).Time.AddTicks(1234), Quality = 0.123456 };
            Assert.Empty(RunCost.Record(root, "c", Precise(1)));
            Assert.Equal(["run-1"], RunCost.Record(root, "c", Precise(2)).Select(r => r.Run));
            RunCost.Append(root, "c", Cost(3)); // another writer (a `baton run` of the same workspace)
            Assert.Equal(["run-1", "run-2", "run-3"], RunCost.Record(root, "c", Precise(4)).Select(r => r.Run));

            var kept = RunCost.History(root, "c");
            File.Copy(RunCost.PathFor(root, "c"), RunCost.PathFor(root, "reread"));
            var reread = RunCost.History(root, "reread");
            static object Seen(RunCost r) => (r.Time, r.Run, r.Status, r.Quality, r.Usd, r.Agents.Single());
            Assert.Equal(["run-1", "run-2", "run-3", "run-4"], kept.Select(r => r.Run));
            Assert.Equal(reread.Select(Seen), kept.Select(Seen));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
