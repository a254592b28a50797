using Baton.Costs;
using Baton.Runs;

namespace Baton.Tests.Costs;

public class CostReportTests
{
    private static CostEntry Entry(
        string run,
        string chain,
        string agent,
        string model,
        decimal usd,
        string day,
        bool estimated = false
    ) =>
        new(
            DateTimeOffset.Parse($"{day}T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            "ws",
            chain,
            run,
            agent,
            1,
            1,
            "default",
            model,
            new TokenUsage(100, 10, Estimated: estimated),
            usd,
            true
        );

    private static string MakeRun(string runsRoot, string id, params CostEntry[] entries)
    {
        var dir = Directory.CreateDirectory(Path.Combine(runsRoot, id)).FullName;
        foreach (var entry in entries)
            CostLedger.Append(dir, entry with { Run = id });
        return dir;
    }

    [Fact]
    public void Query_GroupsAcrossRuns_FiltersBySince_AndKeepsUpWithChanges()
    {
        using var ws = new TestWorkspace();
        var runs = Path.Combine(ws.Root, "runs");
        MakeRun(
            runs,
            "20251001-100000-alpha-0001",
            Entry("", "alpha", "draft", "gpt-4o", 1.00m, "2025-10-01"),
            Entry("", "alpha", "review", "gpt-4o-mini", 0.25m, "2025-10-01")
        );
        var second = MakeRun(
            runs,
            "20251002-100000-beta-0002",
            Entry("", "beta", "draft", "gpt-4o", 2.00m, "2025-10-02", estimated: true)
        );

        Assert.Equal([("beta", 2.00m), ("alpha", 1.25m)], CostReport.Query(runs, "chain").Select(r => (r.Key, r.Usd)));
        Assert.Equal(
            [("gpt-4o", 2, 3.00m)],
            CostReport.Query(runs, "model").Where(r => r.Key == "gpt-4o").Select(r => (r.Key, r.Calls, r.Usd))
        );
        Assert.Equal(["2025-10-01", "2025-10-02"], CostReport.Query(runs, "day").Select(r => r.Key));
        Assert.Equal("beta/draft", Assert.Single(CostReport.Query(runs, "agent", new DateOnly(2025, 10, 2))).Key);
        Assert.Equal(1, CostReport.Query(runs, "chain").Single(r => r.Key == "beta").EstimatedCalls);
        Assert.True(File.Exists(Path.Combine(runs, CostIndex.FileName)));

        // A run that gains a call is re-read; one that is deleted drops out; a damaged index is rebuilt.
        CostLedger.Append(second, Entry("20251002-100000-beta-0002", "beta", "draft", "gpt-4o", 0.50m, "2025-10-02"));
        Assert.Equal(2.50m, CostReport.Query(runs, "chain").Single(r => r.Key == "beta").Usd);
        Directory.Delete(Path.Combine(runs, "20251001-100000-alpha-0001"), recursive: true);
        File.WriteAllText(Path.Combine(runs, CostIndex.FileName), "{ not json");
        Assert.Equal(["beta"], CostReport.Query(runs, "chain").Select(r => r.Key));
    }

    [Fact]
    public void Query_RejectsAnUnknownGrouping() =>
        Assert.Throws<ArgumentException>(() => CostReport.Query(Path.GetTempPath(), "color"));

    [Fact]
    public void Query_OfManyRuns_UsesTheIndex()
    {
        using var ws = new TestWorkspace();
        var runs = Path.Combine(ws.Root, "runs");
        for (var i = 0; i < 300; i++)
            MakeRun(
                runs,
                $"20251003-10{i / 60 % 60:00}{i % 60:00}-bulk-{i:x4}",
                Entry("", "bulk", "a", "gpt-4o", 0.01m, "2025-10-03")
            );

        Assert.Equal(3.00m, CostReport.Query(runs, "chain").Single().Usd);
        var index = new FileInfo(Path.Combine(runs, CostIndex.FileName));
        var written = index.LastWriteTimeUtc;
        Assert.Equal(300, CostReport.Query(runs, "day").Single().Calls);
        Assert.Equal(written, new FileInfo(index.FullName).LastWriteTimeUtc); // nothing changed, nothing rewritten
    }
}
