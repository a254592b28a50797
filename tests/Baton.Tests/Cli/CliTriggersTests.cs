using System.Text.Json;

namespace Baton.Tests.Cli;

public class CliTriggersTests
{
    [Fact]
    public async Task Triggers_ListsEveryTriggerWithTheNextScheduleFiring()
    {
        using var ws = new TestWorkspace();
        ws.Write(
            "chains/nightly.yaml",
            """
            name: nightly
            triggers:
              - schedule: "30 2 * * *"
                timezone: Asia/Tokyo
              - webhook: HOOK_SECRET
            agents:
              a: { run: "true" }
            """
        );
        ws.Write("chains/plain.yaml", "name: plain\nagents:\n  a: { run: \"true\" }\n");

        var before = DateTimeOffset.UtcNow;
        var result = await BatonCli.RunAsync(ws.Root, "triggers", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("schedule", rows[0].GetProperty("kind").GetString());
        Assert.Equal("30 2 * * * (Asia/Tokyo)", rows[0].GetProperty("what").GetString());
        var next = rows[0].GetProperty("next").GetDateTimeOffset();
        // 02:30 in Tokyo is 17:30 UTC, within a day of now.
        Assert.Equal((17, 30), (next.UtcDateTime.Hour, next.UtcDateTime.Minute));
        Assert.InRange(next, before, before.AddDays(1));
        Assert.Equal("webhook", rows[1].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Validate_ShowsABadScheduleAtItsLine()
    {
        using var ws = new TestWorkspace();
        var path = ws.Write(
            "chains/bad.yaml",
            "name: bad\ntriggers:\n  - schedule: \"0 25 * * *\"\nagents:\n  a: { run: \"true\" }\n"
        );

        var result = await BatonCli.RunAsync(ws.Root, "validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.yaml:3:15: 'schedule' \"0 25 * * *\": Hours: ", result.Stderr);
    }
}
