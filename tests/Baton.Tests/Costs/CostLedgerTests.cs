using Baton.Costs;

namespace Baton.Tests.Costs;

public class CostLedgerTests
{
    private static CostEntry Entry(string agent, decimal usd, bool priced = true) =>
        new(
            DateTimeOffset.Parse("2026-01-02T03:04:05.678Z", System.Globalization.CultureInfo.InvariantCulture),
            "ws",
            "chain",
            "20260102-030405-chain-0001",
            agent,
            2,
            3,
            "default",
            "gpt-4o",
            new TokenUsage(100, 10, 5, 2, Estimated: true),
            usd,
            priced
        );

    [Fact]
    public void Read_EntriesAsAppended_TornLastLineSkipped()
    {
        using var ws = new TestWorkspace();
        var run = Directory.CreateDirectory(Path.Combine(ws.Root, "run")).FullName;
        CostLedger.Append(run, Entry("draft", 0.25m));
        CostLedger.Append(run, Entry("review", 0.5m, priced: false));
        File.AppendAllText(CostLedger.PathFor(run), "\n{\"time\":\"2026-01-02T03:04:05.678Z\",\"agent\":\"tor");

        var entries = CostLedger.Read(run);

        Assert.Equal([Entry("draft", 0.25m), Entry("review", 0.5m, priced: false)], entries);
        Assert.Equal(0.75m, CostLedger.TotalUsd(run));
    }

    [Fact]
    public void Read_NoLedgerOrNoRunFolder_None()
    {
        using var ws = new TestWorkspace();
        Assert.Empty(CostLedger.Read(Directory.CreateDirectory(Path.Combine(ws.Root, "run")).FullName));
        Assert.Empty(CostLedger.Read(Path.Combine(ws.Root, "gone")));
    }

    [Fact]
    public void Read_LedgerIsALinkOutOfTheRun_NotFollowed()
    {
        // An agent can replace its run's costs.jsonl; the server reads it as root and must not read through a link.
        using var ws = new TestWorkspace();
        var run = Directory.CreateDirectory(Path.Combine(ws.Root, "run")).FullName;
        var elsewhere = Directory.CreateDirectory(Path.Combine(ws.Root, "elsewhere")).FullName;
        CostLedger.Append(elsewhere, Entry("draft", 9m));
        File.CreateSymbolicLink(CostLedger.PathFor(run), CostLedger.PathFor(elsewhere));

        Assert.Empty(CostLedger.Read(run));
    }
}
