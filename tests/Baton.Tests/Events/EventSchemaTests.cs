using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.Events;

/// <summary>
/// docs/events.md is the contract users `jq` against: every kind of event the engine writes has an example file there,
/// and each record written through the codec must give exactly those bytes (and read back as the same record).
/// </summary>
public partial class EventSchemaTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 6, 30, 14, TimeSpan.Zero);

    /// <summary>One of each kind, as the engine writes it: agent, attempt, the record.</summary>
    public static readonly (string? Agent, int Attempt, EventBody Body)[] OneOfEach =
    [
        (null, 0, new RunStarted("research-digest", "20261124-063012-research-digest-7f3a")),
        (null, 0, new RunCancel("ann")),
        (null, 0, new RunFinished(RunStatus.Failed, "agent 'build' failed: exited with code 3", 0.0132m)),
        (null, 0, new InboxRejected("inbox/build/started.json", "'started' is reserved for the engine")),
        (null, 0, new BudgetAlerted("default", 8.05m, 10m, 80.5m)),
        ("build", 2, new AgentStarted(Resumed: true)),
        ("research", 1, new AgentDone("agents/research/output", 1834, 0, new CallCost(0.0132m, 1200, 310))),
        ("build", 1, new AgentFailed("exit", "exited with code 3", 3, 1042, new CallCost(null, null, null))),
        (
            "summarize",
            1,
            new AgentFailed(
                "timeout",
                "timed out after 30s (its whole process group was killed)",
                null,
                null,
                new CallCost(0.004m, 900, 0)
            )
        ),
        ("publish", 0, new AgentSkipped("needs 'build', which failed")),
        ("build", 1, new AgentCancelled()),
        ("research", 1, new Emitted("research-ready", "research")),
        (
            "review",
            2,
            new AgentWaiting(
                "agents/review/shown.md",
                "sha256:9f2c0d6e5b1a4c3f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f",
                [Decision.Approve, Decision.Reject, Decision.Changes],
                2,
                3,
                At.AddHours(2)
            )
        ),
        (
            "review",
            1,
            new AgentDecided(
                Decision.Changes,
                "ann",
                "shorter, and cite the sources",
                1,
                "sha256:9f2c0d6e5b1a4c3f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f",
                ["draft", "review"]
            )
        ),
        ("review", 2, new AgentDone("agents/review/output", Decision: Decision.Approve)),
        ("review", 2, new AgentRejected()),
        ("research", 1, new CustomEvent("research.progress", JsonElement.Parse("""{"pct": 40, "note": "half way"}"""))),
        ("summarize", 1, new AgentChecked("length", false, 0, "output is 1210 characters, more than 800", "retry", 1)),
        (
            "summarize",
            1,
            new AgentFailed(
                "check",
                "check 'length' failed: output is 1210 characters, more than 800",
                null,
                1013,
                new CallCost(0.004m, 900, 310),
                "check 'length' failed: output is 1210 characters, more than 800"
            )
        ),
        (null, 0, new RunStop("give-up", "the reviewer abandoned the draft")),
        (
            null,
            0,
            new RunStarted(
                "greet",
                "20261124-063015-greet-1c2d",
                Parent: new ParentRun("20261124-063012-research-digest-7f3a", "greeting", 1)
            )
        ),
    ];

    [Fact]
    public void EachKindOfEvent_WritesTheBytesDocsEventsMdShows_AndReadsBackAsItself()
    {
        var documented = DocumentedExamples();
        var missing = new List<string>();
        for (var i = 0; i < OneOfEach.Length; i++)
        {
            var (agent, attempt, body) = OneOfEach[i];
            var e = new RunEvent(
                i + 1,
                body.TypeFor(agent),
                agent,
                attempt,
                At.AddTicks(1205330),
                EventCodec.Encode(body)
            );
            var bytes = Encoding.UTF8.GetString(EventJson.Serialize(e));
            if (!documented.Contains(bytes))
                missing.Add(bytes);
            var back = EventJson.Deserialize(Encoding.UTF8.GetBytes(bytes));
            Assert.Equal(body, back.Body);
        }
        Assert.True(missing.Count == 0, "docs/events.md lacks these examples:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryRecordOfTheSchema_HasAnExample()
    {
        var kinds = typeof(EventBody)
            .Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(EventBody)) && !t.IsAbstract)
            .Select(t => t.Name)
            .Order();
        Assert.Equal(kinds, OneOfEach.Select(x => x.Body.GetType().Name).Distinct().Order());
    }

    [Fact]
    public void EveryDocumentedExample_RoundTripsByteForByte()
    {
        foreach (var example in DocumentedExamples())
        {
            var e = EventJson.Deserialize(Encoding.UTF8.GetBytes(example));
            var rewritten = e with { Data = EventCodec.Encode(e.Body) };
            Assert.Equal(example, Encoding.UTF8.GetString(EventJson.Serialize(rewritten)));
        }
    }

    /// <summary>The ```json blocks of docs/events.md that are whole event files (they have a "seq").</summary>
    private static HashSet<string> DocumentedExamples()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "events.md"));
        return [.. JsonBlock().Matches(text).Select(m => m.Groups[1].Value).Where(b => b.Contains("\"seq\""))];
    }

    [GeneratedRegex("```json\n(.*?\n)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Baton.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repo root (Baton.slnx) not found");
    }
}
