using Baton.Server.Auth;
using Baton.Server.Hosting;
using Microsoft.Extensions.Time.Testing;
using static Baton.Server.Tests.Triggers.TriggerTestKit;

namespace Baton.Server.Tests.Triggers;

public class ScheduleTriggerTests
{
    private static string Chain(string catchUp) =>
        $$$"""
            name: morning
            inputs:
              when:
            triggers:
              - schedule: "0 9 * * *"
                catch_up: {{{catchUp}}}
                inputs: { when: "{{schedule.time}}" }
            agents:
              a: { run: "true" }
            """;

    private static readonly DateTimeOffset Monday0859 = new(2026, 12, 7, 8, 59, 0, TimeSpan.Zero);

    [Fact]
    public async Task Schedule_FiresOnTimeOnce_WithTheFiringAsInputAndTrigger()
    {
        var clock = new FakeTimeProvider(Monday0859);
        await using var server = await TestServer.StartAsync(settings: new ServerSettings { Time = clock });
        var ws = UniqueWorkspace("sch");
        using var client = server.Client(server.Token(ws, Role.Owner));
        (
            await client.PutAsync($"/api/workspaces/{ws}/chains/morning", TestServer.Yaml(Chain("last")))
        ).EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromSeconds(59)); // 08:59:59: seen, not due
        Assert.Empty(await RunIds(client, ws));
        clock.Advance(TimeSpan.FromSeconds(2)); // 09:00:01
        var run = Assert.Single(await WaitForRuns(client, ws, 1));
        await TestServer.WaitForStatus(client, ws, run, "succeeded");
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Single(await RunIds(client, ws));
        var started = await RunStarted(client, ws, run);
        Assert.Equal("schedule 0 9 * * * at 2026-12-07T09:00:00Z", started.GetProperty("trigger").GetString());
        var inputs = await File.ReadAllTextAsync(
            Path.Combine(server.Data.WorkspacePath(ws), "runs", run, "inputs.json")
        );
        Assert.Contains("\"when\": \"2026-12-07T09:00:00Z\"", inputs);
        var audit = await File.ReadAllTextAsync(Path.Combine(server.Data.WorkspacePath(ws), "audit.jsonl"));
        Assert.Contains(
            $"\"who\":\"trigger\",\"via\":\"schedule\",\"action\":\"run.start\",\"target\":\"{run}\"",
            audit
        );
    }

    [Theory]
    [InlineData("last", 1)]
    [InlineData("none", 0)]
    public async Task StoppedServer_CatchesUpTheLatestMissedFiringOnce_OrSkipsIt(string catchUp, int caughtUp)
    {
        var data = TestServer.NewDataPath();
        var ws = UniqueWorkspace("catch");
        try
        {
            string token;
            var monday = new FakeTimeProvider(Monday0859);
            await using (var first = await TestServer.StartAsync(data, new ServerSettings { Time = monday }))
            {
                token = first.Token(ws, Role.Owner);
                using var client = first.Client(token);
                (
                    await client.PutAsync($"/api/workspaces/{ws}/chains/morning", TestServer.Yaml(Chain(catchUp)))
                ).EnsureSuccessStatusCode();
                monday.Advance(TimeSpan.FromSeconds(1)); // the schedule is seen (it counts from here)
                monday.Advance(TimeSpan.FromMinutes(2));
                await TestServer.WaitForStatus(
                    client,
                    ws,
                    Assert.Single(await WaitForRuns(client, ws, 1)),
                    "succeeded"
                );
            }

            // Down over Tuesday's and Wednesday's 09:00; back on Wednesday at 09:30.
            var wednesday = new FakeTimeProvider(Monday0859.AddDays(2).AddMinutes(31));
            await using (var second = await TestServer.StartAsync(data, new ServerSettings { Time = wednesday }))
            {
                using var client = second.Client(token);
                var runs = await RunIds(client, ws);
                Assert.Equal(1 + caughtUp, runs.Count);
                // Run ids sort by the wall clock's second and then a random suffix: both runs may share a second.
                var triggers = new List<string?>();
                foreach (var run in runs)
                    triggers.Add((await RunStarted(client, ws, run)).GetProperty("trigger").GetString());
                Assert.Contains("schedule 0 9 * * * at 2026-12-07T09:00:00Z", triggers);
                if (caughtUp == 1)
                    Assert.Contains("schedule 0 9 * * * at 2026-12-09T09:00:00Z", triggers);
                foreach (var run in runs)
                    await TestServer.WaitForStatus(client, ws, run, "succeeded");
            }

            // Started again the same morning: that firing has had its run (or was skipped), never a second.
            await using var third = await TestServer.StartAsync(
                data,
                new ServerSettings { Time = new FakeTimeProvider(Monday0859.AddDays(2).AddMinutes(40)) }
            );
            using var again = third.Client(token);
            Assert.Equal(1 + caughtUp, (await RunIds(again, ws)).Count);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task SixFieldSchedule_OnTheRealClock_FiresEveryTwoSecondsOncePerFiring()
    {
        await using var server = await TestServer.StartAsync();
        var ws = UniqueWorkspace("sec");
        using var client = server.Client(server.Token(ws, Role.Owner));
        var chain = """
            name: tick
            triggers:
              - schedule: "*/2 * * * * *"
            agents:
              a: { run: "true" }
            """;
        (await client.PutAsync($"/api/workspaces/{ws}/chains/tick", TestServer.Yaml(chain))).EnsureSuccessStatusCode();

        var runs = await WaitForRuns(client, ws, 3);

        var firings = new List<string>();
        foreach (var run in runs)
            firings.Add((await RunStarted(client, ws, run)).GetProperty("trigger").GetString()!);
        Assert.Equal(firings.Count, firings.Distinct().Count());
        Assert.All(firings, f =>
            Assert.Matches(@"^schedule \*/2 \* \* \* \* \* at \d{4}-\d\d-\d\dT\d\d:\d\d:\d[02468]Z$", f)
        );
    }
}
