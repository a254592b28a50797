using System.Diagnostics;
using System.Text;

namespace Baton.Tests.Cli;

/// <summary>Runs the real `baton` command line (the built baton.dll) as a separate process.</summary>
public static class BatonCli
{
    /// <summary>The real apphost, as a user runs it (so `baton emit` inside scripts finds it on PATH too).</summary>
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "baton");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static async Task<Result> RunAsync(string workingDirectory, params string[] args) =>
        await RunAsync(workingDirectory, null, args);

    public static async Task<Result> RunAsync(
        string workingDirectory,
        IDictionary<string, string>? environment,
        params string[] args
    )
    {
        using var process = Start(workingDirectory, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"baton {string.Join(' ', args)} did not finish in 90 s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The environment for a master key of the test's own, beside its workspace (never the user's key).</summary>
    public static Dictionary<string, string> OwnMasterKey(TestWorkspace ws, out string keyPath)
    {
        keyPath = Path.Combine(ws.Root, "..", Path.GetFileName(ws.Root) + "-master.key");
        return new Dictionary<string, string> { ["BATON_MASTER_KEY"] = keyPath };
    }

    /// <summary>`baton secret set NAME` with the value on stdin, as a person would pipe it; fails the test if it fails.</summary>
    public static async Task SetSecretAsync(
        string workingDirectory,
        IDictionary<string, string> environment,
        string name,
        string value
    )
    {
        using var set = Start(workingDirectory, environment, "secret", "set", name);
        await set.StandardInput.WriteAsync(value);
        set.StandardInput.Close();
        await set.WaitForExitAsync();
        Assert.True(set.ExitCode == 0, await set.StandardError.ReadToEndAsync());
    }

    /// <summary>Starts baton without waiting: for tests that signal or kill it mid-run.</summary>
    public static Process Start(string workingDirectory, IDictionary<string, string>? environment, params string[] args)
    {
        // Through env(1), which execs baton with SIGINT's default disposition: a test runner started as a
        // background job of a non-interactive shell (`dotnet test … &`) ignores SIGINT, the ignore is
        // inherited across exec, and .NET then installs no SIGINT handler — a Ctrl-C test would wait forever.
        var info = new ProcessStartInfo("/usr/bin/env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add(Executable);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["BATON_RETRY_BASE_DELAY_MS"] = "20";
        info.Environment["TERM"] = "dumb";
        if (environment is not null)
            foreach (var (k, v) in environment)
                info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>Waits (bounded) until a condition on the file system holds.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(25);
        }
    }
}
