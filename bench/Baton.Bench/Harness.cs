using System.Diagnostics;
using System.Globalization;

namespace Baton.Bench;

/// <summary>Runs each workload in fresh child processes, repeatedly, then reports (Report.cs).</summary>
public static class Harness
{
    public static async Task<int> RunAsync(HarnessOptions options)
    {
        var workloads = Workloads.All.Where(w => options.Only.Count == 0 || options.Only.Contains(w.Name)).ToList();
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal); // "W1.handoff_us" → values
        var clock = Stopwatch.StartNew();
        // One scratch folder per invocation, passed to the children, deleted once at the end.
        var scratchRoot = BenchWorkspace.ScratchRoot;
        var cleanUpStamp = Path.Combine(scratchRoot, "last-clean-up");
        var scratch = Path.Combine(scratchRoot, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Environment.SetEnvironmentVariable("BATON_BENCH_DIR", scratch); // the children's workspaces go there
        WarnAboutRecentCleanUp(cleanUpStamp);
        var disk = DiskProbe.Measure(scratch);
        Console.Error.WriteLine(
            $"disk: a new file {disk.NewFileUs:0} µs, a new folder {disk.NewFolderUs:0} µs (this machine's ext4 when quiet: ~30 and ~35; several times more for minutes after a large deletion: finding 2)"
        );
        try
        {
            await RunAllAsync(options, workloads, samples);
        }
        finally
        {
            if (options.Keep)
                Console.Error.WriteLine(
                    $"kept {scratch} (--keep): deleting it slows file creation here for minutes, so do it when done measuring"
                );
            else
            {
                BenchWorkspace.DeleteScratch(scratch);
                Directory.CreateDirectory(scratchRoot);
                await File.WriteAllTextAsync(cleanUpStamp, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            }
        }
        Console.Error.WriteLine($"all workloads: {clock.Elapsed.TotalSeconds:0.0} s");
        var report = new Report(options, samples, workloads.Select(w => w.Name).ToHashSet(), disk);
        Console.WriteLine(report.Markdown());
        await report.WriteJsonAsync(options.Out);
        Console.Error.WriteLine($"wrote {options.Out}");
        return 0;
    }

    /// <summary>
    /// ext4 without a journal skips inodes deleted in the last 1–5 minutes when it allocates new ones,
    /// reading each (docs/performance.md, finding 2): right after a bench deleted its scratch, file
    /// creation — most of W1–W3 — costs several times more. Say so rather than report slow numbers silently.
    /// </summary>
    private static void WarnAboutRecentCleanUp(string cleanUpStamp)
    {
        if (
            !File.Exists(cleanUpStamp)
            || !DateTime.TryParse(
                File.ReadAllText(cleanUpStamp),
                CultureInfo.InvariantCulture,
                DateTimeStyles.RoundtripKind,
                out var at
            )
        )
            return;
        var ago = DateTime.UtcNow - at;
        if (ago < TimeSpan.FromMinutes(5))
            Console.Error.WriteLine(
                $"note: the last bench deleted its files {ago.TotalSeconds:0} s ago; until 5 minutes have passed, file creation on this disk may still be slower (docs/performance.md, finding 2)"
            );
    }

    private static async Task RunAllAsync(
        HarnessOptions options,
        List<Workload> workloads,
        Dictionary<string, List<double>> samples
    )
    {
        foreach (var workload in workloads)
        {
            for (var rep = 1; rep <= options.Reps; rep++)
            {
                Console.Error.Write($"{workload.Name} {workload.Title}: run {rep}/{options.Reps}… ");
                var repClock = Stopwatch.StartNew();
                var measured = await RunChildAsync(workload.Name, options.Quick);
                Console.Error.WriteLine($"{repClock.Elapsed.TotalSeconds:0.0} s  {Measurements.ToJson(measured)}");
                foreach (var (metric, value) in measured)
                {
                    var key = $"{workload.Name}.{metric}";
                    if (!samples.TryGetValue(key, out var list))
                        samples[key] = list = [];
                    if (value is { } v)
                        list.Add(v);
                }
                if (measured.Values.All(v => v is null))
                    break; // not measurable: once is enough
            }
        }
    }

    private static async Task<Dictionary<string, double?>> RunChildAsync(string workload, bool quick)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = false };
        // Started as `dotnet Baton.Bench.dll`? Then the child needs the dll too.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(Harness).Assembly.Location);
        info.ArgumentList.Add("child");
        info.ArgumentList.Add(workload);
        if (quick)
            info.ArgumentList.Add("--quick");
        using var child = Process.Start(info)!;
        var stdout = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var last = stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault();
        if (child.ExitCode != 0 || last is null || !last.StartsWith('{'))
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"{workload} child exited {child.ExitCode}: {stdout}")
            );
        return Measurements.FromJson(last);
    }
}
