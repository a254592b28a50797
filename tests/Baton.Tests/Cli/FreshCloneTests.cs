using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Baton.Tests.Cli;

/// <summary>
/// The README's two commands on a fresh clone (issue 19): the launcher builds and runs the example, what it built
/// works as shipped (ShippedBinary), and the test command's install step works and is idempotent. The full suite
/// itself is not run again from inside the suite.
/// </summary>
public sealed class FreshCloneTests : IDisposable
{
    private readonly string _clone = Path.Combine(
        Path.GetTempPath(),
        "baton-clone-" + Guid.NewGuid().ToString("N")[..8]
    );

    [Fact]
    public async Task ReadmeCommands_RunInACleanClone()
    {
        var repo = RepoRoot();
        Assert.Equal(0, (await Run(repo, "git", "clone", "-q", repo, _clone)).ExitCode);
        var quickStart = Regex
            .Match(
                File.ReadAllText(Path.Combine(_clone, "README.md")),
                @"## Quick start.*?```bash\n(.*?)```",
                RegexOptions.Singleline
            )
            .Groups[1]
            .Value;
        var commands = quickStart
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('#')[0].Trim())
            .ToList();
        Assert.Equal(["./baton run examples/hello.yaml", "./test"], commands);
        Assert.Contains("exec \"$(dirname \"$0\")/../test\"", File.ReadAllText(Path.Combine(_clone, ".ci", "run"))); // CI runs exactly that command

        var example = await Run(_clone, "bash", "-c", commands[0]);
        Assert.True(example.ExitCode == 0, example.Output);
        Assert.Contains("succeeded", example.Output);

        // What that built is what users run, so it is driven here once more — each provider, the server's API, git —
        // as the rest of the suite drives its own build.
        var bin = Path.Combine(_clone, ".baton", "bin");
        var scratch = Directory.CreateDirectory(Path.Combine(_clone, "scratch")).FullName;
        await ShippedBinary.CallsEveryProvider(Path.Combine(bin, "baton"), scratch);
        await ShippedBinary.CallsAnHttpsProviderOverHttp2(Path.Combine(bin, "baton"), scratch);
        await ShippedBinary.ReadsGit(Path.Combine(bin, "baton"), scratch);
        await ShippedBinary.Serves(Path.Combine(bin, "baton"), scratch);
        // The GC's sizes are the binary's: its young generation's budget not the CPU cache's (80 MB on this machine
        // kind), its regions 1 MB (finding 64).
        var doctor = await Run(scratch, Path.Combine(bin, "baton"), "doctor");
        Assert.Contains("the GC collects its young generation every 8 MB allocated, in regions of 1 MB", doctor.Output);

        // Twice: the second finds everything in place and changes nothing.
        for (var i = 0; i < 2; i++)
        {
            var install = await Run(_clone, "./test", "--install-only");
            Assert.True(install.ExitCode == 0, install.Output);
        }
        Assert.True(File.Exists("/usr/bin/chromium"));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Baton.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("the tests run from outside the repository");
    }

    private static async Task<(int ExitCode, string Output)> Run(string directory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // The launcher's first build (a native publish) takes minutes, ~10 on a busy machine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_clone, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
