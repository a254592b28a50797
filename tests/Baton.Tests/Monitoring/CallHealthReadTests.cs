using Baton.Health;

namespace Baton.Tests.Monitoring;

/// <summary>Issue 15 item 6: the llm-calls day files are read incrementally (only appended lines), so these pin what a reader sees.</summary>
public class CallHealthReadTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CallHealth Call(int i) =>
        new(
            Start.AddMinutes(i),
            $"run-{i}",
            "c",
            "a",
            "default",
            "m",
            CallOutcome.Ok,
            100 + i,
            null,
            10,
            [CallOutcome.Ok],
            false
        );

    [Fact]
    public void AppendedCalls_TornLine_AndARewrittenDayFile_AreAllSeen()
    {
        var root = Directory.CreateTempSubdirectory("baton-callhealth-").FullName;
        try
        {
            var (since, until) = (Start.AddDays(-1), Start.AddDays(1));
            Assert.Empty(CallHealth.Read(root, since, until));
            CallHealth.Append(root, Call(1));
            CallHealth.Append(root, Call(2));
            Assert.Equal(["run-1", "run-2"], CallHealth.Read(root, since, until).Select(c => c.Run));

            var path = Path.Combine(root, ".baton", "llm-calls", "2026-12-01.jsonl");
            var third = System.Text.Encoding.UTF8.GetString(Call(3).ToJsonLine());
            File.AppendAllText(path, third[..20]); // still being written
            Assert.Equal(2, CallHealth.Read(root, since, until).Count());
            File.AppendAllText(path, third[20..]);
            Assert.Equal(["run-1", "run-2", "run-3"], CallHealth.Read(root, since, until).Select(c => c.Run));
            Assert.Equal(["run-2"], CallHealth.Read(root, Start.AddMinutes(2), Start.AddMinutes(3)).Select(c => c.Run));

            File.WriteAllText(path, ""); // rewritten by hand: read again from the start
            CallHealth.Append(root, Call(9));
            Assert.Equal(["run-9"], CallHealth.Read(root, since, until).Select(c => c.Run));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
