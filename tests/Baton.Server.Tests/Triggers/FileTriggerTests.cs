using Baton.Server.Auth;
using Baton.Server.Hosting;
using Microsoft.Extensions.Time.Testing;
using static Baton.Server.Tests.Triggers.TriggerTestKit;

namespace Baton.Server.Tests.Triggers;

public class FileTriggerTests
{
    private const string Chain = """
        name: invoices
        inputs:
          path:
          name: { default: "" }
        triggers:
          - file: "**/*.pdf"
            inputs: { path: "{{ file.path }}", name: "{{ file.name }}" }
        agents:
          a: { run: "true" }
        """;

    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DroppedFile_ThatStopsGrowing_StartsExactlyOneRun_AlsoAcrossARestart()
    {
        var data = TestServer.NewDataPath();
        var ws = UniqueWorkspace("drop");
        try
        {
            string token,
                root;
            var clock = new FakeTimeProvider(Start);
            await using (var server = await TestServer.StartAsync(data, new ServerSettings { Time = clock }))
            {
                token = server.Token(ws, Role.Owner);
                root = server.Data.WorkspacePath(ws);
                using var client = server.Client(token);
                (
                    await client.PutAsync($"/api/workspaces/{ws}/chains/invoices", TestServer.Yaml(Chain))
                ).EnsureSuccessStatusCode();
                Directory.CreateDirectory(Path.Combine(root, "drop", "march"));
                var file = Path.Combine(root, "drop", "march", "inv 1.pdf");
                await File.WriteAllTextAsync(file, "part one");

                clock.Advance(TimeSpan.FromSeconds(1)); // seen
                await File.AppendAllTextAsync(file, ", part two"); // still growing
                clock.Advance(TimeSpan.FromSeconds(1));
                Assert.True(File.Exists(file));
                Assert.Empty(await RunIds(client, ws));
                clock.Advance(TimeSpan.FromSeconds(1)); // unchanged for a tick: taken

                var run = Assert.Single(await WaitForRuns(client, ws, 1));
                Assert.False(File.Exists(file));
                var taken = Assert.Single(Directory.GetFiles(Path.Combine(root, "drop", ".taken")));
                Assert.Equal("part one, part two", await File.ReadAllTextAsync(taken));
                var inputs = await File.ReadAllTextAsync(Path.Combine(root, "runs", run, "inputs.json"));
                Assert.Contains($"\"path\": \"drop/.taken/{Path.GetFileName(taken)}\"", inputs);
                Assert.Contains("\"name\": \"inv 1.pdf\"", inputs);
                Assert.EndsWith("-march_inv_1.pdf", taken);
                await TestServer.WaitForStatus(client, ws, run, "succeeded");
            }

            var later = new FakeTimeProvider(Start.AddMinutes(5));
            await using (var again = await TestServer.StartAsync(data, new ServerSettings { Time = later }))
            {
                later.Advance(TimeSpan.FromSeconds(3));
                using var client = again.Client(token);
                Assert.Single(await RunIds(client, ws));
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
