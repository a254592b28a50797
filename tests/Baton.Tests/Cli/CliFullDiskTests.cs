using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.Cli;

/// <summary>A workspace on a tiny tmpfs that an agent fills up: the run must fail cleanly, say why, and leave nothing to re-run.</summary>
public sealed class CliFullDiskTests : IDisposable
{
    private readonly TmpfsMount _disk = new("512k");

    private const string Filler = """
        name: filler
        agents:
          fill:
            run: |
              head -c 10000000 /dev/zero > "$BATON_RUN_DIR/ballast" || true
              echo filled
          next:
            needs: [fill]
            run: echo never
        """;

    [Fact]
    public async Task AgentFillsTheDisk_RunFailsWithReasonDisk_AndNothingIsReRun()
    {
        Assert.True(_disk.Mounted, "this test mounts a tmpfs and needs root (CI runs as root)");
        File.WriteAllText(Path.Combine(_disk.Path, "chain.yaml"), Filler);

        var result = await BatonCli.RunAsync(_disk.Path, "run", "chain.yaml");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("No space left on device", result.Stdout + result.Stderr);
        var run = RunFolder.Find(Path.Combine(_disk.Path, "runs"), "last");
        var events = EventReader.ReadAll(run.Events);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq)); // nothing half-written
        // The workspace's reserve made room for the run's last words: it is over, not "running" forever.
        Assert.Equal(["run.started", "fill.started", "fill.failed", "run.finished"], events.Select(e => e.Type));
        Assert.Equal("disk", events[2].Data!.Value.GetProperty("reason").GetString());
        var summary = RunSummary.Load(run);
        Assert.Equal(RunStatus.Failed, summary.Status);
        Assert.StartsWith("disk full:", summary.Reason);

        // Another run while the disk is still full (what the reserve left over is taken too): a clear error, and no
        // folder (not even a hidden, half-made one) is left.
        var rest = Path.Combine(_disk.Path, "rest");
        await TmpfsMount.FillAsync(rest);
        var second = await BatonCli.RunAsync(_disk.Path, "run", "chain.yaml");
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("the disk is full", second.Stderr);
        Assert.Equal([run.Id], Directory.EnumerateDirectories(run.RunsRoot).Select(Path.GetFileName));

        // Once space is freed, a resume re-runs nothing: the run is finished, and says why.
        File.Delete(Path.Combine(run.Path, "ballast"));
        File.Delete(rest);
        var resumed = await BatonCli.RunAsync(_disk.Path, "resume", run.Id);
        Assert.True(resumed.ExitCode == 1, resumed.ToString());
        Assert.Single(EventReader.ReadAll(run.Events), e => e.Type == "fill.started");
        // ...and the next run has its reserve again.
        Assert.True(File.Exists(DiskSpace.ReservePath(run.RunsRoot)));
    }

    public void Dispose() => _disk.Dispose();
}
