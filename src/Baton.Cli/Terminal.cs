using System.Runtime.InteropServices;

namespace Baton.Cli;

public static class Terminal
{
    public static bool StdoutIsTerminal =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
    public static bool StdinIsTerminal => !Console.IsInputRedirected;

    /// <summary>
    /// Ctrl-C (and SIGTERM) cancel the returned token instead of killing the process, so a run can stop
    /// its agents and record that it was cancelled. A second Ctrl-C kills at once.
    /// </summary>
    public static CancellationTokenSource CancelOnSignals(out IDisposable registrations)
    {
        var cts = new CancellationTokenSource();
        void Handle(PosixSignalContext context)
        {
            if (cts.IsCancellationRequested)
                return; // second signal: default behaviour
            context.Cancel = true;
            Console.Error.WriteLine("\ncancelling (Ctrl-C again to force)…");
            cts.Cancel();
        }
        var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        registrations = new Both(sigint, sigterm);
        return cts;
    }

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }

    public static string Elapsed(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:D2}s"
        : $"{t.TotalSeconds:0.0}s";

    public static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>
    /// How a person runs this CLI from folder: `baton` when it is on PATH, else the checkout's launcher (./baton sets
    /// BATON_LAUNCHER) — a newcomer who typed ./baton has no `baton` on PATH, and a hint saying `baton run` failed for them.
    /// </summary>
    public static string SelfCommand(string folder)
    {
        if (Environment.GetEnvironmentVariable("BATON_LAUNCHER") is not { Length: > 0 } launcher || OnPath("baton"))
            return "baton";
        var relative = Path.GetRelativePath(folder, launcher);
        return relative.Split('/').Count(p => p == "..") <= 2 ? relative : launcher;
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));
}
