using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>A full disk with no reserve left to spend: the run stalls, says so, and fails with reason `disk` once space is freed.</summary>
public sealed class FullDiskStallTests : IDisposable
{
    private readonly TmpfsMount _disk = new("512k");

    [Fact]
    public async Task DiskFullWithoutReserve_RunStallsUntilSpaceIsFreed_ThenFailsWithReasonDisk()
    {
        Assert.True(_disk.Mounted, "this test mounts a tmpfs and needs root (CI runs as root)");
        var stalls = new List<string?>();
        var ballast = Path.Combine(_disk.Path, "ballast");
        var engineOptions = new EngineOptions
        {
            KeepDiskReserve = false,
            DiskRetryBaseDelay = TimeSpan.FromMilliseconds(20),
            DiskRetryMaxDelay = TimeSpan.FromMilliseconds(100),
            KillGrace = TimeSpan.FromSeconds(2),
            OnDiskStall = (_, reason) =>
            {
                lock (stalls)
                    stalls.Add(reason);
                // Someone frees space while the run is stalled: no hand edit of the run is needed.
                if (reason is not null)
                    File.Delete(ballast);
            },
        };
        var workspace = Baton.Workspaces.Workspace.Open(_disk.Path);
        File.WriteAllText(
            Path.Combine(_disk.Path, "chain.yaml"),
            $$"""
            name: filler
            agents:
              fill:
                run: |
                  head -c 10000000 /dev/zero > {{ballast}} || true
                  echo filled
              next:
                needs: [fill]
                run: echo never
            """
        );
        var chain = Baton.Chains.ChainLoader.LoadFile(Path.Combine(_disk.Path, "chain.yaml"), _disk.Path);
        var run = await RunCreator.CreateAsync(
            workspace,
            chain,
            File.ReadAllText(Path.Combine(_disk.Path, "chain.yaml")),
            new Dictionary<string, string>(),
            Baton.Events.GroupCommitter.Shared
        );

        var outcome = await new RunEngine(workspace, engineOptions).RunAsync(run).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.StartsWith("disk full:", outcome.Reason);
        Assert.Equal(["run.started", "fill.started", "fill.failed", "run.finished"], TestWorkspace.Types(run));
        Assert.Equal("disk", TestWorkspace.Events(run)[2].Data!.Value.GetProperty("reason").GetString());
        Assert.True(stalls.Count >= 2, string.Join(", ", stalls));
        Assert.StartsWith("disk full:", stalls[0]);
        Assert.Null(stalls[^1]); // the stall is over once the failure is recorded
    }

    public void Dispose() => _disk.Dispose();
}
