using System.Diagnostics;

namespace Baton.Bench;

/// <summary>The published CLI (<see cref="BatonServe.Executable"/>) run as a user runs it, timed from start to exit.</summary>
public static class ShippedBaton
{
    public sealed record Finished(double ElapsedMs, string Stdout, string Stderr);

    /// <summary>The CLI's path, after checking that bench/run built it.</summary>
    public static string Executable()
    {
        var baton = BatonServe.Executable;
        return File.Exists(baton)
            ? baton
            : throw new FileNotFoundException(
                $"{baton} is missing: build it first with `./baton --help` (bench/run does)"
            );
    }

    /// <returns>`baton run CHAIN --json` in a workspace: the whole process's wall and the run's summary as JSON.</returns>
    public static async Task<(double ElapsedMs, string Json)> RunAsync(string workspace, string chain)
    {
        var done = await TimedAsync(Executable(), ["run", chain, "--json"], workspace);
        return (done.ElapsedMs, done.Stdout);
    }

    /// <summary>A process (the CLI, or the CLI under /usr/bin/time), timed; failing, it throws with what it printed.</summary>
    public static async Task<Finished> TimedAsync(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null
    )
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {await stderr}{await stdout}"
            );
        return new(elapsed, await stdout, await stderr);
    }
}
