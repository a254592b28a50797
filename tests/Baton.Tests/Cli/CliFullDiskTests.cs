using System.Diagnostics;
using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.Cli;

/// <summary>A workspace on a tiny tmpfs that an agent fills up: the run must fail cleanly and say why.</summary>
public sealed class CliFullDiskTests : IDisposable
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "baton-full-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly bool _mounted;

    public CliFullDiskTests()
    {
        Directory.CreateDirectory(_mount);
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", _mount]);
        mount.WaitForExit();
        _mounted = mount.ExitCode == 0;
    }

    [Fact]
    public async Task DiskFullWhileWritingEvents_RunFailsCleanly_AndSaysWhy()
    {
        Assert.True(_mounted, "this test mounts a tmpfs and needs root (CI runs as root)");
        File.WriteAllText(Path.Combine(_mount, "chain.yaml"), """
            name: filler
            agents:
              fill:
                run: |
                  head -c 10000000 /dev/zero > "$BATON_RUN_DIR/ballast" || true
                  echo filled
              next:
                run: echo never
            """);

        var result = await BatonCli.RunAsync(_mount, "run", "chain.yaml");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("No space left on device", result.Stdout + result.Stderr);
        var run = RunFolder.Find(Path.Combine(_mount, "runs"), "last");
        var events = EventReader.ReadAll(run.Events);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq)); // nothing half-written
        Assert.DoesNotContain(events, e => e.Type == "next.started");

        // Once space is freed, the run can be resumed from what was written.
        File.Delete(Path.Combine(run.Path, "ballast"));
        var resumed = await BatonCli.RunAsync(_mount, "resume", run.Id);
        Assert.True(resumed.ExitCode is 0 or 1, resumed.ToString());
    }

    public void Dispose()
    {
        if (_mounted) Process.Start("umount", ["-l", _mount]).WaitForExit();
        try { Directory.Delete(_mount, recursive: true); }
        catch (IOException) { }
    }
}
