using System.Text.Json;

namespace Baton.Server.Tests.Triggers;

/// <summary>What trigger tests ask a server: the runs of a workspace and the `trigger` of each run's run.started.</summary>
internal static class TriggerTestKit
{
    public static string UniqueWorkspace(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<List<string>> RunIds(HttpClient client, string ws) =>
        [
            .. (await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/runs")))
                .EnumerateArray()
                .Select(r => r.GetProperty("id").GetString()!)
                .Order(StringComparer.Ordinal),
        ];

    public static async Task<JsonElement> RunStarted(HttpClient client, string ws, string run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            foreach (
                var e in (
                    await TestServer.ReadJson(await client.GetAsync($"/api/workspaces/{ws}/runs/{run}/events"))
                ).EnumerateArray()
            )
                if (e.GetProperty("type").GetString() == "run.started")
                    return e.GetProperty("data");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"run {run} has no run.started");
            await Task.Delay(50);
        }
    }

    public static async Task<List<string>> WaitForRuns(HttpClient client, string ws, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var runs = await RunIds(client, ws);
            if (runs.Count >= count)
                return runs;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{runs.Count} runs in {ws}, waited for {count}");
            await Task.Delay(50);
        }
    }
}
