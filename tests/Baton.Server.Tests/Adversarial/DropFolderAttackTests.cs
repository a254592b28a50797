using System.Diagnostics;
using Baton.Server.Auth;
using Baton.Server.Hosting;
using Microsoft.Extensions.Time.Testing;
using static Baton.Server.Tests.Triggers.TriggerTestKit;

namespace Baton.Server.Tests.Adversarial;

/// <summary>
/// A tenant controls drop/; the server that takes files from it is root. Links, a FIFO, a hard link and a
/// folder or .taken/ swapped for a link must never make it read, move or write anything outside drop/.
/// </summary>
public class DropFolderAttackTests
{
    private const string Chain = """
        name: grab
        inputs:
          path:
        triggers:
          - file: "**"
            inputs: { path: "{{ file.path }}" }
        agents:
          a: { run: "true" }
        """;

    [Fact]
    public async Task LinksFifoHardLinkAndSwappedFolders_NeverReachOutsideDrop()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"baton-drop-outside-{Guid.NewGuid():N}");
        Directory.CreateDirectory(outside);
        var secret = Path.Combine(outside, "secret.txt");
        await File.WriteAllTextAsync(secret, "root's");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(settings: new ServerSettings { Time = clock });
        var ws = UniqueWorkspace("dropadv");
        using var client = server.Client(server.Token(ws, Role.Owner));
        (await client.PutAsync($"/api/workspaces/{ws}/chains/grab", TestServer.Yaml(Chain))).EnsureSuccessStatusCode();
        var drop = Path.Combine(server.Data.WorkspacePath(ws), "drop");
        try
        {
            Directory.CreateDirectory(drop);
            File.CreateSymbolicLink(Path.Combine(drop, "link.txt"), secret);
            Directory.CreateSymbolicLink(Path.Combine(drop, "folder"), outside);
            using (var mkfifo = Process.Start("mkfifo", Path.Combine(drop, "pipe.txt")))
                await mkfifo.WaitForExitAsync();
            File.CreateSymbolicLink(Path.Combine(drop, ".taken"), outside); // where taken files would go
            await File.WriteAllTextAsync(Path.Combine(drop, "real.txt"), "tenant's");

            for (var i = 0; i < 3; i++)
                clock.Advance(TimeSpan.FromSeconds(1));

            // .taken/ is a link out: nothing can be taken, so nothing ran and nothing moved.
            Assert.Empty(await RunIds(client, ws));
            Assert.Equal(
                ["secret.txt"],
                Directory.GetFileSystemEntries(outside).Select(f => Path.GetFileName(f)).ToArray()
            );
            Assert.True(File.Exists(Path.Combine(drop, "real.txt")));

            // With .taken/ a real folder again, only the real file and the hard link are taken; the hard link
            // is renamed inside drop/, its other name (outside) stays where it was.
            File.Delete(Path.Combine(drop, ".taken"));
            using (var ln = Process.Start("ln", [secret, Path.Combine(drop, "hard.txt")]))
                await ln.WaitForExitAsync();
            // A tick that starts a run waits for it to be durable on the real disk; ticks meanwhile are skipped.
            var runs = await RunIds(client, ws);
            for (var deadline = DateTime.UtcNow.AddSeconds(60); runs.Count < 2 && DateTime.UtcNow < deadline; )
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(50);
                runs = await RunIds(client, ws);
            }
            Assert.Equal(2, runs.Count);
            Assert.Equal(
                ["secret.txt"],
                Directory.GetFileSystemEntries(outside).Select(f => Path.GetFileName(f)).ToArray()
            );
            Assert.Equal("root's", await File.ReadAllTextAsync(secret));
            Assert.NotNull(new FileInfo(Path.Combine(drop, "link.txt")).LinkTarget);
            Assert.NotNull(new DirectoryInfo(Path.Combine(drop, "folder")).LinkTarget);
            Assert.Equal(
                ["hard.txt", "real.txt"],
                Directory
                    .GetFiles(Path.Combine(drop, ".taken"))
                    .Select(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('-') + 1)..])
                    .Order(StringComparer.Ordinal)
                    .ToArray()
            );
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
