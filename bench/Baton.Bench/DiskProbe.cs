using System.Diagnostics;

namespace Baton.Bench;

/// <summary>
/// What a new file and a new folder cost on the scratch disk right now (median µs of 200 each), measured before the
/// workloads and reported with them. On this machine's ext4 (no journal) the figure swings tenfold: the kernel skips
/// every free inode deleted in the last one to five minutes when it allocates one (finding 2), so a run of the bench
/// after the test suite or a large deletion measures the disk's recovery as much as Baton. Nothing is deleted here:
/// the probe's files go with the scratch folder at the end.
/// </summary>
public static class DiskProbe
{
    public sealed record Costs(double NewFileUs, double NewFolderUs);

    public static Costs Measure(string scratch, int count = 200)
    {
        var folder = Path.Combine(scratch, "disk-probe");
        Directory.CreateDirectory(folder);
        var files = new List<double>(count);
        var folders = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            File.Create(Path.Combine(folder, $"f{i}")).Dispose();
            files.Add(clock.Elapsed.TotalMicroseconds);
            clock.Restart();
            Directory.CreateDirectory(Path.Combine(folder, $"d{i}"));
            folders.Add(clock.Elapsed.TotalMicroseconds);
        }
        return new Costs(Measurements.Median(files), Measurements.Median(folders));
    }
}
