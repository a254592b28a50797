using System.Diagnostics;

namespace Baton.Bench;

/// <summary>`baton run CHAIN --json` with the published CLI (<see cref="BatonServe.Executable"/>), as a user runs it.</summary>
public static class ShippedBaton
{
    /// <returns>The whole process's wall, and what it printed: the run's summary as JSON.</returns>
    public static async Task<(double ElapsedMs, string Json)> RunAsync(string workspace, string chain)
    {
        var baton = BatonServe.Executable;
        if (!File.Exists(baton))
            throw new FileNotFoundException(
                $"{baton} is missing: build it first with `./baton --help` (bench/run does)"
            );
        var info = new ProcessStartInfo(baton)
        {
            WorkingDirectory = workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "run", chain, "--json" })
            info.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"baton run exited {process.ExitCode}: {await stderr}{await stdout}");
        return (elapsed, await stdout);
    }
}
